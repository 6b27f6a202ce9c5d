#include "launch/proc_table.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace benchctl {

namespace {

// Reads up to `limit` bytes of a /proc file; nullopt when it cannot be opened (process gone).
std::optional<std::string> read_small_file(const std::string& path, std::size_t limit) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::string content;
    char buffer[4096];
    while (content.size() < limit) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
    return content;
}

// Parses the fields of /proc/<pid>/stat after the command name, which may itself hold spaces
// and parentheses: everything up to the last ')' belongs to it.
std::optional<ProcEntry> parse_stat(pid_t pid, const std::string& text) {
    std::size_t close_paren = text.rfind(')');
    if (close_paren == std::string::npos || close_paren + 2 >= text.size())
        return std::nullopt;
    ProcEntry entry;
    entry.pid = pid;
    entry.state = text[close_paren + 2];
    const char* cursor = text.c_str() + close_paren + 3;
    std::uint64_t utime = 0;
    for (int field = 4; field <= 22; ++field) {
        char* end = nullptr;
        long long value = std::strtoll(cursor, &end, 10);
        if (end == cursor)
            return std::nullopt;
        cursor = end;
        switch (field) {
            case 4:
                entry.ppid = static_cast<pid_t>(value);
                break;
            case 5:
                entry.pgid = static_cast<pid_t>(value);
                break;
            case 6:
                entry.sid = static_cast<pid_t>(value);
                break;
            case 14:
                utime = static_cast<std::uint64_t>(value);
                break;
            case 15:
                entry.cpu_ticks = utime + static_cast<std::uint64_t>(value);
                break;
            case 22:
                entry.start_ticks = static_cast<std::uint64_t>(value);
                break;
            default:
                break;
        }
    }
    return entry;
}

}  // namespace

std::optional<ProcEntry> read_proc_entry(pid_t pid) {
    auto text = read_small_file("/proc/" + std::to_string(pid) + "/stat", 4096);
    if (!text)
        return std::nullopt;
    return parse_stat(pid, *text);
}

std::vector<ProcEntry> read_proc_table() {
    std::vector<ProcEntry> table;
    DIR* proc = opendir("/proc");
    if (proc == nullptr)
        return table;
    while (dirent* item = readdir(proc)) {
        char* end = nullptr;
        long pid = std::strtol(item->d_name, &end, 10);
        if (pid <= 0 || *end != '\0')
            continue;
        if (auto entry = read_proc_entry(static_cast<pid_t>(pid)))
            table.push_back(*entry);
    }
    closedir(proc);
    return table;
}

std::optional<std::uint64_t> read_rss_bytes(pid_t pid) {
    auto text = read_small_file("/proc/" + std::to_string(pid) + "/statm", 512);
    if (!text)
        return std::nullopt;
    const char* cursor = text->c_str();
    char* end = nullptr;
    std::strtoull(cursor, &end, 10);  // size, not wanted
    if (end == cursor)
        return std::nullopt;
    cursor = end;
    unsigned long long resident = std::strtoull(cursor, &end, 10);
    if (end == cursor)
        return std::nullopt;
    return static_cast<std::uint64_t>(resident) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

bool environ_contains(pid_t pid, std::string_view entry) {
    constexpr std::size_t k_environ_limit = 1 << 20;
    auto text = read_small_file("/proc/" + std::to_string(pid) + "/environ", k_environ_limit);
    if (!text)
        return false;
    std::string_view rest = *text;
    while (!rest.empty()) {
        std::size_t end = rest.find('\0');
        if (rest.substr(0, end) == entry)
            return true;
        if (end == std::string_view::npos)
            break;
        rest.remove_prefix(end + 1);
    }
    return false;
}

std::uint64_t boot_clock_ticks() {
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    auto ticks = static_cast<std::uint64_t>(clock_ticks_per_second());
    return static_cast<std::uint64_t>(now.tv_sec) * ticks +
           static_cast<std::uint64_t>(now.tv_nsec) * ticks / 1000000000ULL;
}

long clock_ticks_per_second() {
    static const long ticks = sysconf(_SC_CLK_TCK);
    return ticks;
}

}  // namespace benchctl
