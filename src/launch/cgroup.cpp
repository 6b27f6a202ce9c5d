#include "launch/cgroup.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

namespace benchctl {

namespace {

std::string read_whole(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// mountinfo escapes space, tab, newline and backslash in paths as \ooo (proc(5)).
std::string unescape_octal(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size()) {
            int value = 0;
            bool octal = true;
            for (std::size_t k = 1; k <= 3; ++k) {
                char c = text[i + k];
                octal = octal && c >= '0' && c <= '7';
                value = value * 8 + (c - '0');
            }
            if (octal) {
                out += static_cast<char>(value);
                i += 3;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// The path of "0::<path>" (the cgroup v2 hierarchy) in /proc/self/cgroup's text.
std::optional<std::string> unified_path(const std::string& proc_self_cgroup) {
    std::istringstream lines(proc_self_cgroup);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("0::", 0) == 0)
            return line.substr(3);
    }
    return std::nullopt;
}

std::string join_path(const std::string& mount_point, const std::string& relative) {
    if (relative.empty() || relative == "/")
        return mount_point;
    if (mount_point == "/")
        return relative;
    return mount_point + relative;
}

// The mount's root may be a sub-directory of the hierarchy (a container's cgroup namespace or a
// bind mount); the group is visible there only when its path lies under that root.
std::optional<std::string> visible_directory(const std::string& root, const std::string& mount,
                                             const std::string& path) {
    if (root == "/")
        return join_path(mount, path);
    if (path == root)
        return mount;
    if (path.rfind(root + "/", 0) == 0)
        return join_path(mount, path.substr(root.size()));
    return std::nullopt;
}

int open_control_file(const std::string& directory, const char* name) {
    return open((directory + "/" + name).c_str(), O_WRONLY | O_CLOEXEC);
}

bool write_all(int fd, const char* text) {
    std::size_t length = std::strlen(text);
    ssize_t written;
    do {
        written = write(fd, text, length);
    } while (written < 0 && errno == EINTR);
    return written == static_cast<ssize_t>(length);
}

void set_reason(std::string* why_not, std::string text) {
    if (why_not != nullptr)
        *why_not = std::move(text);
}

}  // namespace

std::optional<std::string> own_cgroup_directory(const std::string& mountinfo,
                                                const std::string& proc_self_cgroup) {
    auto path = unified_path(proc_self_cgroup);
    if (!path)
        return std::nullopt;
    std::istringstream lines(mountinfo);
    for (std::string line; std::getline(lines, line);) {
        std::size_t separator = line.find(" - ");
        if (separator == std::string::npos)
            continue;
        std::istringstream after(line.substr(separator + 3));
        std::string fstype;
        after >> fstype;
        if (fstype != "cgroup2")
            continue;
        std::istringstream fields(line.substr(0, separator));
        std::string id, parent, device, root, mount;
        fields >> id >> parent >> device >> root >> mount;
        if (auto directory = visible_directory(unescape_octal(root), unescape_octal(mount), *path))
            return directory;
    }
    return std::nullopt;
}

std::optional<Cgroup> Cgroup::create(std::string* why_not) {
    if (const char* off = std::getenv("BENCHCTL_NO_CGROUP"); off != nullptr && *off != '\0') {
        set_reason(why_not, "BENCHCTL_NO_CGROUP is set");
        return std::nullopt;
    }
    auto parent =
        own_cgroup_directory(read_whole("/proc/self/mountinfo"), read_whole("/proc/self/cgroup"));
    if (!parent) {
        set_reason(why_not, "no cgroup v2 mount shows benchctl's own group");
        return std::nullopt;
    }
    // Moving a process needs write access to cgroup.procs of the group it leaves (benchctl's).
    if (access((*parent + "/cgroup.procs").c_str(), W_OK) != 0) {
        set_reason(why_not, fmt::format("{}/cgroup.procs is not writable", *parent));
        return std::nullopt;
    }
    static std::atomic<unsigned> counter{0};
    std::string path = fmt::format("{}/benchctl-{}-{}", *parent, getpid(), counter.fetch_add(1));
    if (mkdir(path.c_str(), 0755) != 0) {
        set_reason(why_not, fmt::format("cannot create {}: {}", path, std::strerror(errno)));
        return std::nullopt;
    }
    int procs = open_control_file(path, "cgroup.procs");
    int kill = open_control_file(path, "cgroup.kill");
    if (procs < 0 || kill < 0) {
        set_reason(why_not, procs < 0 ? fmt::format("cannot open {}/cgroup.procs", path)
                                      : "the kernel has no cgroup.kill (Linux 5.14 or later)");
        if (procs >= 0)
            close(procs);
        if (kill >= 0)
            close(kill);
        rmdir(path.c_str());
        return std::nullopt;
    }
    return Cgroup(std::move(path), procs, kill);
}

Cgroup::Cgroup(std::string path, int procs_fd, int kill_fd)
    : m_path(std::move(path)), m_procs_fd(procs_fd), m_kill_fd(kill_fd) {}

Cgroup::Cgroup(Cgroup&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_procs_fd(other.m_procs_fd),
      m_kill_fd(other.m_kill_fd),
      m_removed(other.m_removed) {
    other.m_procs_fd = -1;
    other.m_kill_fd = -1;
    other.m_removed = true;
}

Cgroup& Cgroup::operator=(Cgroup&& other) noexcept {
    if (this != &other) {
        Cgroup old(std::move(*this));
        m_path = std::move(other.m_path);
        m_procs_fd = std::exchange(other.m_procs_fd, -1);
        m_kill_fd = std::exchange(other.m_kill_fd, -1);
        m_removed = std::exchange(other.m_removed, true);
    }
    return *this;
}

Cgroup::~Cgroup() {
    close_fds();
    if (m_removed)
        return;
    // The last processes of a killed group take a moment to leave it.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!remove() && errno == EBUSY && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void Cgroup::close_fds() {
    if (m_procs_fd >= 0)
        close(m_procs_fd);
    if (m_kill_fd >= 0)
        close(m_kill_fd);
    m_procs_fd = -1;
    m_kill_fd = -1;
}

std::vector<pid_t> Cgroup::pids() const {
    std::vector<pid_t> pids;
    std::istringstream text(read_whole(m_path + "/cgroup.procs"));
    for (long pid; text >> pid;)
        pids.push_back(static_cast<pid_t>(pid));
    return pids;
}

bool Cgroup::kill() const {
    return m_kill_fd >= 0 && write_all(m_kill_fd, "1");
}

std::optional<std::uint64_t> Cgroup::cpu_usage_usec() const {
    std::istringstream text(read_whole(m_path + "/cpu.stat"));
    std::string key;
    std::uint64_t value = 0;
    while (text >> key >> value) {
        if (key == "usage_usec")
            return value;
    }
    return std::nullopt;
}

bool Cgroup::remove() {
    if (m_removed)
        return true;
    if (rmdir(m_path.c_str()) == 0 || errno == ENOENT)
        m_removed = true;
    return m_removed;
}

}  // namespace benchctl
