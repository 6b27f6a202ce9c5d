#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "util/line_pattern.hpp"

namespace benchctl {

// Follows a log file from a byte offset and tells whether a line written since then matches a
// pattern (a LinePattern: PCRE2 syntax, searched anywhere in the line's first 4096 bytes). Only
// complete lines count: a line is matched once its newline has been written.
class LogWatcher {
  public:
    // Throws UserError naming the pattern when it is not a valid regular expression.
    LogWatcher(std::string path, std::uint64_t offset, const std::string& pattern);

    // Reads what was appended since the last call and searches its complete lines; true once
    // any matched. Stops after the line during which `deadline` passes and goes on from there at
    // the next call, so a flood of log lines cannot hold a readiness timeout. A missing file is
    // treated as empty. Throws UserError when the pattern needs too much backtracking for a line
    // (LinePattern::Result::too_costly): such a pattern cannot be relied on.
    bool poll(std::chrono::steady_clock::time_point deadline =
                  std::chrono::steady_clock::time_point::max());

  private:
    // Searches the complete line in m_line; throws for a too costly pattern.
    bool line_matches();

    std::string m_path;
    std::uint64_t m_offset;  // everything before it has been searched (or is in m_line)
    LinePattern m_pattern;
    std::string m_line;  // the current incomplete line, at most LinePattern::k_max_line bytes
    bool m_matched = false;
};

}  // namespace benchctl
