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

// A file that could not be written or renamed for a reason of the file system (no space left,
// a file-size limit, a read-only mount, an I/O error), as opposed to a wrong path the user typed.
// A UserError, so commands that only write one output print it the same way; `benchctl run`
// catches it apart from the others, keeps what it measured elsewhere and exits with its own code
// (4), since rerunning with other input would not help. `error_number` is the errno.
class StorageError : public UserError {
  public:
    StorageError(std::string what, std::string where, std::string hint, int error_number)
        : UserError(std::move(what), std::move(where), std::move(hint)),
          m_error_number(error_number) {}

    int error_number() const { return m_error_number; }

  private:
    int m_error_number;
};

}  // namespace benchctl
