#include "import/label_slug.hpp"

namespace benchctl {
namespace {

constexpr std::size_t k_max_length = 64;

bool is_kept(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string slug_for_label(const std::string& label) {
    std::string slug;
    for (const char raw : label) {
        const char c = (raw >= 'A' && raw <= 'Z') ? static_cast<char>(raw - 'A' + 'a') : raw;
        if (is_kept(c)) {
            slug += c;
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    if (slug.size() > k_max_length)
        slug.resize(k_max_length);
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    return slug.empty() ? "value" : slug;
}

std::string unique_slug(const std::string& label, std::set<std::string>& taken) {
    const std::string base = slug_for_label(label);
    std::string slug = base;
    for (unsigned n = 2; taken.count(slug) != 0; ++n)
        slug = base + "-" + std::to_string(n);
    taken.insert(slug);
    return slug;
}

}  // namespace benchctl
