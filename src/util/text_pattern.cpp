#include "util/text_pattern.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <new>

#include "util/error.hpp"

namespace benchctl {

struct TextPattern::Compiled {
    pcre2_code* code = nullptr;
    pcre2_match_data* match_data = nullptr;
    pcre2_match_context* context = nullptr;
    bool has_group = false;

    ~Compiled() {
        pcre2_match_context_free(context);
        pcre2_match_data_free(match_data);
        pcre2_code_free(code);
    }
};

namespace {

std::string pcre2_message(int code) {
    PCRE2_UCHAR buffer[256];
    if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0)
        return fmt::format("error {}", code);
    return reinterpret_cast<const char*>(buffer);
}

}  // namespace

std::unique_ptr<TextPattern::Compiled> TextPattern::compile(const std::string& pattern) {
    auto compiled = std::make_unique<Compiled>();
    int error = 0;
    PCRE2_SIZE offset = 0;
    // '^' and '$' match at every line's start and end: a step's output and a body are often
    // several lines ("id=42" on one of them).
    compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_MULTILINE, &error, &offset, nullptr);
    if (compiled->code == nullptr) {
        throw UserError(fmt::format("invalid regular expression '{}': {} at offset {}", pattern,
                                    pcre2_message(error), offset),
                        "", "write a Perl-compatible (PCRE2) regular expression");
    }
    std::uint32_t groups = 0;
    pcre2_pattern_info(compiled->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    compiled->has_group = groups > 0;
    compiled->match_data = pcre2_match_data_create_from_pattern(compiled->code, nullptr);
    compiled->context = pcre2_match_context_create(nullptr);
    if (compiled->match_data == nullptr || compiled->context == nullptr)
        throw std::bad_alloc();
    pcre2_set_match_limit(compiled->context, TextPattern::k_match_limit);
    return compiled;
}

TextPattern::TextPattern(const std::string& pattern)
    : m_text(pattern), m_compiled(compile(pattern)) {}

TextPattern::~TextPattern() = default;
TextPattern::TextPattern(const TextPattern& other)
    : m_text(other.m_text), m_compiled(compile(other.m_text)) {}
TextPattern& TextPattern::operator=(const TextPattern& other) {
    if (this != &other) {
        m_compiled = compile(other.m_text);
        m_text = other.m_text;
    }
    return *this;
}
TextPattern::TextPattern(TextPattern&&) noexcept = default;
TextPattern& TextPattern::operator=(TextPattern&&) noexcept = default;

std::optional<std::string_view> TextPattern::find(std::string_view text) const {
    int rc = pcre2_match(m_compiled->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                         0, 0, m_compiled->match_data, m_compiled->context);
    if (rc < 0)
        return std::nullopt;
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(m_compiled->match_data);
    const std::size_t pair = m_compiled->has_group ? 1 : 0;
    if (static_cast<std::size_t>(rc) <= pair || ovector[2 * pair] == PCRE2_UNSET)
        return std::nullopt;
    return text.substr(ovector[2 * pair], ovector[2 * pair + 1] - ovector[2 * pair]);
}

}  // namespace benchctl
