#include "import/line_cursor.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace benchctl {

LineCursor::LineCursor(const SourceText& source, std::size_t begin, std::size_t end,
                       std::string format)
    : m_source(source), m_next(begin), m_end(end), m_format(std::move(format)) {}

void LineCursor::skip_blank() {
    while (m_next < m_end && trim_blanks(m_source.lines[m_next]).empty())
        ++m_next;
}

bool LineCursor::at_end() {
    skip_blank();
    return m_next >= m_end;
}

std::string LineCursor::peek() {
    skip_blank();
    return m_next < m_end ? trim_blanks(m_source.lines[m_next]) : "";
}

std::size_t LineCursor::index() {
    skip_blank();
    return m_next;
}

std::string LineCursor::take(const std::string& expected) {
    if (at_end())
        fail(expected);
    return trim_blanks(m_source.lines[m_next++]);
}

void LineCursor::fail(const std::string& expected) {
    skip_blank();
    if (m_next < m_end)
        fail_at(m_next, expected);
    // At the end: name the last line, where the missing one should have followed.
    throw_at(m_end == 0 ? 0 : m_end - 1, expected, "");
}

void LineCursor::fail_at(std::size_t index, const std::string& expected) const {
    throw_at(index, expected,
             index < m_source.lines.size() ? trim_blanks(m_source.lines[index]) : "");
}

namespace {

// Whether `text` holds a run of more digits than any figure benchctl imports can have: the
// reason a well-shaped line was refused is then the number's size.
bool has_oversized_number(const std::string& text) {
    std::size_t run = 0;
    for (const char c : text) {
        run = c >= '0' && c <= '9' ? run + 1 : 0;
        if (run > 15)
            return true;
    }
    return false;
}

}  // namespace

void LineCursor::throw_at(std::size_t index, const std::string& expected,
                          const std::string& found) const {
    std::string what = found.empty() ? fmt::format("expected {}, found the end of the {} output",
                                                   expected, m_format)
                                     : fmt::format("expected {}, found '{}'", expected, found);
    if (has_oversized_number(found)) {
        what += fmt::format(
            " (a number there is out of range: counts go up to {}, other "
            "figures up to 10^15)",
            k_max_import_count);
    }
    m_source.fail(index, what,
                  fmt::format("the file does not hold {} output as that tool prints it; name "
                              "another format, or fix the line",
                              m_format));
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
            ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t')
            ++i;
        if (i > start)
            words.emplace_back(text.substr(start, i - start));
    }
    return words;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
    std::uint64_t value = 0;
    const char* const end = text.data() + text.size();
    const auto [rest, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || rest != end || value > k_max_import_count)
        return std::nullopt;
    return value;
}

std::optional<double> parse_decimal(std::string_view text) {
    double value = 0;
    const char* const end = text.data() + text.size();
    const auto [rest, error] = std::from_chars(text.data(), end, value, std::chars_format::fixed);
    if (text.empty() || error != std::errc() || rest != end || !std::isfinite(value) ||
        std::fabs(value) > k_max_import_amount) {
        return std::nullopt;
    }
    return value;
}

}  // namespace benchctl
