#pragma once

#include <stdexcept>
#include <string>

namespace benchctl {

// A problem the user can fix: bad flag, bad file, bad value. Caught once in cli/main.cpp and
// printed as "benchctl: error: <what>, <where>; <hint>", exit code 2.
//   what  - what is wrong ("malformed duration '10x'")
//   where - where it is (a flag "-d", a file:line:col, a cell id); may be empty
//   hint  - what to do about it ("use a number with a unit: 10s, 500ms, 2m")
class UserError : public std::runtime_error {
  public:
    UserError(std::string what, std::string where, std::string hint)
        : std::runtime_error(what), m_where(std::move(where)), m_hint(std::move(hint)) {}

    const std::string& where() const { return m_where; }
    const std::string& hint() const { return m_hint; }

    // The whole message without the "benchctl: error: " prefix.
    std::string message() const {
        std::string text = what();
        if (!m_where.empty())
            text += ", " + m_where;
        if (!m_hint.empty())
            text += "; " + m_hint;
        return text;
    }

  private:
    std::string m_where;
    std::string m_hint;
};

}  // namespace benchctl
