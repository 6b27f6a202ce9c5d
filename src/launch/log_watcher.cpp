#include "launch/log_watcher.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "util/error.hpp"

namespace benchctl {

namespace {

constexpr std::size_t k_chunk = 65536;

// Closes a descriptor when it goes out of scope.
struct FileCloser {
    int fd;
    ~FileCloser() {
        if (fd >= 0)
            close(fd);
    }
};

}  // namespace

LogWatcher::LogWatcher(std::string path, std::uint64_t offset, const std::string& pattern)
    : m_path(std::move(path)), m_offset(offset), m_pattern(pattern) {}

bool LogWatcher::line_matches() {
    std::string_view line = m_line;
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    LinePattern::Result result = m_pattern.search(line);
    if (result == LinePattern::Result::too_costly) {
        throw UserError(
            fmt::format("the log readiness pattern '{}' needs too much backtracking to search "
                        "the line '{}'",
                        m_pattern.text(), line.substr(0, 80)),
            "", "simplify the pattern: nested repeats such as (a+)+ take exponential time");
    }
    return result == LinePattern::Result::match;
}

bool LogWatcher::poll(std::chrono::steady_clock::time_point deadline) {
    if (m_matched)
        return true;
    FileCloser file{open(m_path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0)
        return false;
    std::string chunk(k_chunk, '\0');
    for (;;) {
        ssize_t n = pread(file.fd, chunk.data(), chunk.size(), static_cast<off_t>(m_offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        std::string_view rest(chunk.data(), static_cast<std::size_t>(n));
        while (!rest.empty()) {
            std::size_t newline = rest.find('\n');
            std::size_t take = std::min(newline, rest.size());
            // Bytes of a line beyond the limit are read past, never kept.
            std::size_t room =
                LinePattern::k_max_line - std::min(m_line.size(), LinePattern::k_max_line);
            m_line.append(rest.substr(0, std::min(take, room)));
            std::size_t consumed = newline == std::string_view::npos ? take : take + 1;
            rest.remove_prefix(consumed);
            m_offset += consumed;
            if (newline == std::string_view::npos)
                break;
            m_matched = line_matches();
            m_line.clear();
            if (m_matched)
                return true;
            if (std::chrono::steady_clock::now() >= deadline)
                return false;
        }
    }
}

}  // namespace benchctl
