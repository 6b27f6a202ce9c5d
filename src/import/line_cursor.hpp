#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import/source_text.hpp"

namespace benchctl {

// Walks the lines [begin, end) of a source, for the line-by-line parsers of wrk's and siege's
// summaries. Blank lines are skipped; every expectation that fails throws UserError naming
// file:line and what was expected there (and, when a number on the line is too large for any
// figure, that it is out of range).
class LineCursor {
  public:
    LineCursor(const SourceText& source, std::size_t begin, std::size_t end, std::string format);

    // Whether a non-blank line remains.
    bool at_end();
    // The next non-blank line without its leading and trailing blanks ("" at the end).
    std::string peek();
    // The index of that line (end when none is left).
    std::size_t index();
    // Takes the next non-blank line, trimmed. Throws naming `expected` when none is left.
    std::string take(const std::string& expected);

    // Throws UserError at the current line (or the last one) saying what was expected.
    [[noreturn]] void fail(const std::string& expected);
    // Throws UserError at line `index`.
    [[noreturn]] void fail_at(std::size_t index, const std::string& expected) const;

    const SourceText& source() const { return m_source; }

  private:
    void skip_blank();
    [[noreturn]] void throw_at(std::size_t index, const std::string& expected,
                               const std::string& found) const;

    const SourceText& m_source;
    std::size_t m_next;
    std::size_t m_end;
    std::string m_format;
};

// `text` split at runs of blanks.
std::vector<std::string> split_words(std::string_view text);

// The largest count an import takes: 2^53 - 1, exact as a double (every JSON reader's number),
// and far from where sums of counts (started = completed + failed) could wrap.
inline constexpr std::uint64_t k_max_import_count = (std::uint64_t{1} << 53) - 1;
// The largest other figure (seconds, rates, percentages ...) an import takes.
inline constexpr double k_max_import_amount = 1e15;

// "317" -> 317; nullopt unless `text` is all digits and at most k_max_import_count.
std::optional<std::uint64_t> parse_count(std::string_view text);

// "89.29" -> 89.29; nullopt unless `text` is a whole decimal number as the tools print them
// (no exponent) of at most k_max_import_amount.
std::optional<double> parse_decimal(std::string_view text);

}  // namespace benchctl
