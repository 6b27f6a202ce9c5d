#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace benchctl {

// A regular expression searched for in single lines of text at a bounded cost. The engine is
// PCRE2 (Perl-compatible syntax, which covers the usual ECMAScript syntax: \d \s \w, classes,
// groups, alternation, counted repeats, lookahead, backreferences), working on bytes. Unlike
// std::regex it keeps its backtracking on the heap (no stack overflow on a long line) and stops
// a search after k_match_limit backtracking steps (tens of milliseconds), so a pattern with
// catastrophic backtracking such as (a+)+$ is reported instead of running for hours.
class LinePattern {
  public:
    // Only this many bytes at the start of a line are searched; the rest of a longer line is
    // ignored.
    static constexpr std::size_t k_max_line = 4096;
    // PCRE2's match limit per search (its default is 10 million, ~0.3 s on a 2020s core).
    static constexpr unsigned k_match_limit = 1000000;

    enum class Result { match, no_match, too_costly };

    // Compiles `pattern`. Throws UserError naming the pattern and the error's offset when it is
    // not a valid regular expression.
    explicit LinePattern(const std::string& pattern);
    ~LinePattern();
    LinePattern(LinePattern&&) noexcept;
    LinePattern& operator=(LinePattern&&) noexcept;

    // Whether the first k_max_line bytes of `line` contain a match; too_costly when the search
    // hit the backtracking limit. Not to be called from two threads at once.
    Result search(std::string_view line) const;

    const std::string& text() const { return m_text; }

  private:
    struct Compiled;
    std::string m_text;
    std::unique_ptr<Compiled> m_compiled;
};

}  // namespace benchctl
