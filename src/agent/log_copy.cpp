#include "agent/log_copy.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.hpp"

namespace benchctl {

LogCopy::LogCopy(const std::string& path) {
    m_fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        throw UserError(
            fmt::format("cannot open the log file '{}': {}", path, std::strerror(errno)), "",
            "check that the log directory exists and is writable");
    }
}

LogCopy::~LogCopy() {
    if (m_fd >= 0)
        close(m_fd);
}

void LogCopy::append(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = write(m_fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace benchctl
