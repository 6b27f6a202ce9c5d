#include "util/line_pattern.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>

#include "util/error.hpp"

namespace benchctl {

struct LinePattern::Compiled {
    pcre2_code* code = nullptr;
    pcre2_match_data* match_data = nullptr;
    pcre2_match_context* context = nullptr;

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

LinePattern::LinePattern(const std::string& pattern)
    : m_text(pattern), m_compiled(std::make_unique<Compiled>()) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    m_compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                     0, &error, &offset, nullptr);
    if (m_compiled->code == nullptr) {
        throw UserError(fmt::format("invalid regular expression '{}': {} at offset {}", pattern,
                                    pcre2_message(error), offset),
                        "", "write a Perl-compatible (PCRE2) regular expression");
    }
    m_compiled->match_data = pcre2_match_data_create_from_pattern(m_compiled->code, nullptr);
    m_compiled->context = pcre2_match_context_create(nullptr);
    if (m_compiled->match_data == nullptr || m_compiled->context == nullptr)
        throw std::bad_alloc();
    pcre2_set_match_limit(m_compiled->context, k_match_limit);
}

LinePattern::~LinePattern() = default;
LinePattern::LinePattern(LinePattern&&) noexcept = default;
LinePattern& LinePattern::operator=(LinePattern&&) noexcept = default;

LinePattern::Result LinePattern::search(std::string_view line) const {
    std::size_t length = std::min(line.size(), k_max_line);
    int rc = pcre2_match(m_compiled->code, reinterpret_cast<PCRE2_SPTR>(line.data()), length, 0, 0,
                         m_compiled->match_data, m_compiled->context);
    if (rc >= 0)
        return Result::match;
    if (rc == PCRE2_ERROR_NOMATCH)
        return Result::no_match;
    // The match, depth or heap limit: the pattern backtracks too much for this line.
    return Result::too_costly;
}

}  // namespace benchctl
