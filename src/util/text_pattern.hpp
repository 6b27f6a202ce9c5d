#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace benchctl {

// A regular expression searched for in a whole text (a step's output, a response's body) at a
// bounded cost: PCRE2 as LinePattern uses it (its backtracking on the heap, stopped after
// LinePattern::k_match_limit steps), over the text's first k_max_text bytes, '^' and '$'
// matching at every line's start and end.
class TextPattern {
  public:
    static constexpr std::size_t k_max_text = 1 << 20;

    // Compiles `pattern`. Throws UserError naming the pattern and the error's offset when it is
    // not a valid regular expression.
    explicit TextPattern(const std::string& pattern);
    ~TextPattern();
    TextPattern(TextPattern&&) noexcept;
    TextPattern& operator=(TextPattern&&) noexcept;

    // The first group of the first match in `text` (the whole match when the pattern has no
    // group, "" when the group did not take part), or nullopt when there is no match or the
    // search was too costly.
    std::optional<std::string> find(std::string_view text) const;

  private:
    struct Compiled;
    std::unique_ptr<Compiled> m_compiled;
};

}  // namespace benchctl
