#pragma once

#include <string>
#include <string_view>

namespace benchctl {

// Writes `content` to `path` through a temporary file in the same directory and a rename, so a
// reader (or a crash) never sees a half-written file, and an existing file is replaced only by a
// complete one. Throws UserError naming the path when the directory is missing or not writable.
void write_file_atomically(const std::string& path, std::string_view content);

// Reads a whole file. Throws UserError naming `where` (e.g. "--body-file") when it cannot be read.
std::string read_file(const std::string& path, std::string_view where);

}  // namespace benchctl
