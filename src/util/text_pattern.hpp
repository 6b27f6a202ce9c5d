#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace benchctl {

// A regular expression that extracts one piece of a text: the first capture group of the first
// match, or the whole match when the pattern has no group. The engine is PCRE2 (Perl syntax, on
// bytes; '^' and '$' at every line), with LinePattern's bound on backtracking, so a pathological
// pattern costs a bounded time per search instead of hanging the caller. Each instance owns its
// match data: searching allocates nothing, and one instance must not be searched from two threads
// at once (give each thread its own copy; copying compiles the pattern again).
class TextPattern {
  public:
    // PCRE2's match limit per search, as LinePattern's.
    static constexpr unsigned k_match_limit = 1000000;

    // Compiles `pattern`. Throws UserError naming the pattern and the error's offset when it is
    // not a valid regular expression.
    explicit TextPattern(const std::string& pattern);
    ~TextPattern();
    TextPattern(const TextPattern& other);
    TextPattern& operator=(const TextPattern& other);
    TextPattern(TextPattern&&) noexcept;
    TextPattern& operator=(TextPattern&&) noexcept;

    // The extracted piece of `text` (a view into it), or nullopt when nothing matches, the
    // group did not take part in the match, or the search hit the backtracking limit.
    std::optional<std::string_view> find(std::string_view text) const;

    const std::string& text() const { return m_text; }

  private:
    struct Compiled;
    static std::unique_ptr<Compiled> compile(const std::string& pattern);
    std::string m_text;
    std::unique_ptr<Compiled> m_compiled;
};

}  // namespace benchctl
