#include "util/file_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.hpp"

namespace benchctl {

FileLock::FileLock(FileLock&& other) noexcept : m_fd(other.m_fd) {
    other.m_fd = -1;
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0)
            close(m_fd);
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

FileLock::~FileLock() {
    if (m_fd >= 0)
        close(m_fd);  // releases the lock
}

std::optional<FileLock> FileLock::try_take(const std::string& path, const std::string& holder) {
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw UserError(
            fmt::format("cannot open the lock file '{}': {}", path, std::strerror(errno)), "",
            "check that the directory exists and is writable");
    }
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR)
            continue;
        close(fd);
        return std::nullopt;
    }
    // Who holds it, for the next one to try; a failure here (disk full) leaves the lock itself
    // intact, and the holder's description merely missing.
    if (ftruncate(fd, 0) == 0) {
        ssize_t ignored = pwrite(fd, holder.data(), holder.size(), 0);
        (void)ignored;
    }
    return FileLock(fd);
}

bool is_file_locked(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    int rc;
    do {
        rc = flock(fd, LOCK_SH | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    const bool held = rc != 0 && errno == EWOULDBLOCK;
    close(fd);  // drops the shared lock, if taken
    return held;
}

}  // namespace benchctl
