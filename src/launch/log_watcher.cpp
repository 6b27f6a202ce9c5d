// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex> (std::function in
// _StateT) when built with -fsanitize=address; the diagnostic is located in the library header,
// so it can only be silenced before the first include.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "launch/log_watcher.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "util/error.hpp"

namespace benchctl {

namespace {

std::regex compile(const std::string& pattern) {
    try {
        return std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
        throw UserError(
            fmt::format("invalid log readiness pattern '{}': {}", pattern, error.what()), "",
            "use an ECMAScript regular expression");
    }
}

}  // namespace

LogWatcher::LogWatcher(std::string path, std::uint64_t offset, const std::string& pattern)
    : m_path(std::move(path)), m_offset(offset), m_pattern(compile(pattern)) {}

bool LogWatcher::poll() {
    if (m_matched)
        return true;
    int fd = open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buffer[16384];
    for (;;) {
        ssize_t n = pread(fd, buffer, sizeof buffer, static_cast<off_t>(m_offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        m_partial_line.append(buffer, static_cast<std::size_t>(n));
        m_offset += static_cast<std::uint64_t>(n);
    }
    close(fd);
    std::size_t begin = 0;
    for (std::size_t end; (end = m_partial_line.find('\n', begin)) != std::string::npos;
         begin = end + 1) {
        std::string_view line(m_partial_line.data() + begin, end - begin);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (std::regex_search(line.begin(), line.end(), m_pattern)) {
            m_matched = true;
            break;
        }
    }
    m_partial_line.erase(0, begin);
    return m_matched;
}

}  // namespace benchctl
