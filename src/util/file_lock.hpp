#pragma once

#include <memory>
#include <optional>
#include <string>

namespace benchctl {

// An exclusive advisory lock (flock) on a file, held until the object is destroyed or the
// process ends, whichever comes first: the kernel releases it even after a SIGKILL, which is how
// a later reader tells a run in progress from an abandoned one. Move-only.
class FileLock {
  public:
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

    // Takes the lock on `path` (created when missing, mode 0644) without waiting and writes
    // `holder` into the file, replacing what an earlier holder wrote, so that the next one to
    // try can say who holds it. Returns nullopt when another open file (another process, or
    // this one) holds the lock. Throws UserError naming the path when it cannot be opened.
    static std::optional<FileLock> try_take(const std::string& path, const std::string& holder);

  private:
    explicit FileLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

// Whether some process holds the lock on `path` now (false when the file does not exist).
// Takes and drops a shared lock to find out; never waits.
bool is_file_locked(const std::string& path);

}  // namespace benchctl
