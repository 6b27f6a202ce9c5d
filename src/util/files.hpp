#pragma once

#include <string>
#include <string_view>

namespace benchctl {

// When a written file reaches the disk: before write_file_atomically returns (fsync), or with
// the next sync_file_system() of its file system (for many files written at once, such as an
// import's thousands of cells, where an fsync each costs milliseconds apiece).
enum class FileSync { now, deferred };

// Writes `content` to `path` through a temporary file in the same directory and a rename, so a
// reader (or a crash) never sees a half-written file, and an existing file is replaced only by a
// complete one. Throws UserError naming the path when the directory is missing or not writable,
// and StorageError (a UserError) when the file system refuses the bytes: no space left, a quota
// or file-size limit, a read-only mount, an I/O error. The temporary file is removed on failure.
void write_file_atomically(const std::string& path, std::string_view content,
                           FileSync sync = FileSync::now);

// Flushes every file written to the file system holding `path` (syncfs). Throws StorageError
// when the file system reports a write error.
void sync_file_system(const std::string& path);

// Reads a whole file. Throws UserError naming `where` (e.g. "--body-file") when it cannot be
// read, or is a directory (which a stream would read as empty).
std::string read_file(const std::string& path, std::string_view where);

// Checks, before any work is done, that a file can later be written at `path` (an output flag
// such as --json or -o): it is not a directory, its directory exists and is writable. Throws
// UserError naming `where` otherwise. Says nothing of the space left.
void check_output_file(const std::string& path, std::string_view where);

}  // namespace benchctl
