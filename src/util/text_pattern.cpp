#include "util/text_pattern.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>

#include "util/error.hpp"
#include "util/line_pattern.hpp"

namespace benchctl {

struct TextPattern::Compiled {
    pcre2_code* code = nullptr;
    pcre2_match_data* match_data = nullptr;
    pcre2_match_context* context = nullptr;
    ~Compiled() {
        pcre2_match_context_free(context);
        pcre2_match_data_free(match_data);
        pcre2_code_free(code);
    }
};

TextPattern::TextPattern(const std::string& pattern) : m_compiled(std::make_unique<Compiled>()) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    m_compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                     PCRE2_MULTILINE, &error, &offset, nullptr);
    if (m_compiled->code == nullptr) {
        PCRE2_UCHAR buffer[256];
        const std::string message = pcre2_get_error_message(error, buffer, sizeof buffer) < 0
                                        ? fmt::format("error {}", error)
                                        : reinterpret_cast<const char*>(buffer);
        throw UserError(fmt::format("invalid regular expression '{}': {} at offset {}", pattern,
                                    message, offset),
                        "", "write a Perl-compatible (PCRE2) regular expression");
    }
    m_compiled->match_data = pcre2_match_data_create_from_pattern(m_compiled->code, nullptr);
    m_compiled->context = pcre2_match_context_create(nullptr);
    if (m_compiled->match_data == nullptr || m_compiled->context == nullptr)
        throw std::bad_alloc();
    pcre2_set_match_limit(m_compiled->context, LinePattern::k_match_limit);
}

TextPattern::~TextPattern() = default;
TextPattern::TextPattern(TextPattern&&) noexcept = default;
TextPattern& TextPattern::operator=(TextPattern&&) noexcept = default;

std::optional<std::string> TextPattern::find(std::string_view text) const {
    const std::size_t length = std::min(text.size(), k_max_text);
    const int rc = pcre2_match(m_compiled->code, reinterpret_cast<PCRE2_SPTR>(text.data()), length,
                               0, 0, m_compiled->match_data, m_compiled->context);
    if (rc < 0)
        return std::nullopt;
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(m_compiled->match_data);
    const int group = rc > 1 ? 1 : 0;
    if (ovector[2 * group] == PCRE2_UNSET)
        return std::string();
    return std::string(
        text.substr(ovector[2 * group], ovector[2 * group + 1] - ovector[2 * group]));
}

}  // namespace benchctl
