#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "util/files.hpp"

namespace benchctl {

// A lock held through a DiskInterface; released when destroyed.
class HeldLock {
  public:
    virtual ~HeldLock() = default;
};

// The file operations the runner makes on a run directory, behind an interface as ninja's
// DiskInterface is, so that tests hand the runner an in-memory disk that can fill up, refuse a
// lock or hold a damaged file, without touching a real one. Paths are as given (absolute or
// relative to the working directory). Errors follow util/files.hpp: UserError for a path that
// cannot work, StorageError when the file system refuses the bytes.
class DiskInterface {
  public:
    virtual ~DiskInterface() = default;

    // Whether a file or directory exists at `path`.
    virtual bool exists(const std::string& path) = 0;
    // Whether a regular file exists at `path`.
    virtual bool is_file(const std::string& path) = 0;
    // Creates `path` and its parents as needed. Throws UserError when it cannot.
    virtual void make_directories(const std::string& path) = 0;
    // Replaces `path` with `content` atomically (write_file_atomically), on disk before it
    // returns unless `sync` defers that to sync().
    virtual void write_file(const std::string& path, std::string_view content,
                            FileSync sync = FileSync::now) = 0;
    // Flushes what was written with FileSync::deferred to the file system holding `path`.
    virtual void sync(const std::string& path) = 0;
    // The whole file. Throws UserError naming `where` when it cannot be read.
    virtual std::string read_file(const std::string& path, std::string_view where) = 0;
    // Renames `from` to `to`. Throws StorageError when it cannot.
    virtual void rename(const std::string& from, const std::string& to) = 0;
    // Takes the exclusive lock on `path` (FileLock) and records `holder` in it; nullptr when
    // another holder has it. Throws UserError when the lock file cannot be opened.
    virtual std::unique_ptr<HeldLock> try_lock(const std::string& path,
                                               const std::string& holder) = 0;
    // Whether some holder has the lock on `path` now.
    virtual bool is_locked(const std::string& path) = 0;
};

// The real file system (util/files.hpp, util/file_lock.hpp). Stateless; lives for the program.
DiskInterface& real_disk();

}  // namespace benchctl
