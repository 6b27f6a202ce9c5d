#pragma once

#include <cstdint>
#include <regex>
#include <string>

namespace benchctl {

// Follows a log file from a byte offset and tells whether a line written since then matches a
// pattern (an ECMAScript regex, searched anywhere in the line). Only complete lines count: a
// line is matched once its newline has been written.
class LogWatcher {
  public:
    // Throws UserError naming the pattern when it is not a valid regex.
    LogWatcher(std::string path, std::uint64_t offset, const std::string& pattern);

    // Reads what was appended since the last call; true once any complete line matched. A
    // missing file is treated as empty.
    bool poll();

  private:
    std::string m_path;
    std::uint64_t m_offset;
    std::regex m_pattern;
    std::string m_partial_line;
    bool m_matched = false;
};

}  // namespace benchctl
