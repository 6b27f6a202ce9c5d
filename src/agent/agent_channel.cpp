#include "agent/agent_channel.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>

#include "launch/process_tree.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t k_stderr_tail = 8 * 1024;

void close_fd(int& fd) {
    if (fd >= 0)
        close(fd);
    fd = -1;
}

// argv[0] as execv needs it: itself when it names a path, else the first match in PATH.
std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos)
        return name;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return name;  // execv fails with ENOENT, which names the problem
}

std::string describe_wait_status(const std::string& program, int status) {
    if (WIFEXITED(status))
        return fmt::format("{} exited with code {}", program, WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return fmt::format("{} was killed by signal {}", program, WTERMSIG(status));
    return fmt::format("{} ended", program);
}

// The descriptors a carrier gets as stdin, stdout and stderr.
struct StdioPlan {
    int in = -1;
    int out = -1;
    int err = -1;
};

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(const char* path, char* const* argv, const StdioPlan& stdio,
                             int report) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (dup2(stdio.in, 0) < 0 || dup2(stdio.out, 1) < 0 || dup2(stdio.err, 2) < 0) {
        int error = errno;
        (void)!write(report, &error, sizeof error);
        _exit(127);
    }
    // Whatever the coordinator had open (other agents' pipes above all) stays out of the child.
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    fcntl(report, F_SETFD, FD_CLOEXEC);
    execv(path, argv);
    int error = errno;
    (void)!write(report, &error, sizeof error);
    _exit(127);
}

// Forks and execs argv with `stdio`; returns the pid once exec succeeded. Throws UserError.
pid_t spawn_carrier(const std::vector<std::string>& argv, const StdioPlan& stdio) {
    if (argv.empty())
        throw UserError("cannot start an empty command", "", "");
    const std::string path = find_program(argv[0]);
    std::vector<char*> pointers;
    for (const std::string& arg : argv)
        pointers.push_back(const_cast<char*>(arg.c_str()));
    pointers.push_back(nullptr);
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0)
        throw UserError(fmt::format("cannot start '{}': {}", argv[0], std::strerror(errno)), "",
                        "");
    pid_t pid = fork();
    if (pid == 0)
        exec_child(path.c_str(), pointers.data(), stdio, report[1]);
    int fork_error = errno;
    // Not an orphan of a tree, whatever its start time (process_tree.hpp).
    if (pid > 0)
        mark_foreign_child(pid);
    close(report[1]);
    int exec_error = 0;
    ssize_t n = 0;
    if (pid > 0) {
        do {
            n = read(report[0], &exec_error, sizeof exec_error);
        } while (n < 0 && errno == EINTR);
    }
    close(report[0]);
    if (pid < 0 || n > 0) {
        if (pid > 0) {
            waitpid(pid, nullptr, 0);
            forget_foreign_child(pid);
        }
        int error = pid < 0 ? fork_error : exec_error;
        throw UserError(
            fmt::format("cannot start '{}': {}", argv[0], std::strerror(error)), "",
            error == ENOENT ? fmt::format("install {} or put it on PATH", argv[0]) : "");
    }
    return pid;
}

// Waits up to `limit` for `pid` to end, then SIGKILLs its group and reaps it.
int wait_or_kill(pid_t pid, std::chrono::milliseconds limit) {
    const std::uint64_t deadline =
        monotonic_ns() + static_cast<std::uint64_t>(limit.count()) * 1'000'000;
    int status = 0;
    while (true) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) {
            forget_foreign_child(pid);
            return status;
        }
        if (monotonic_ns() >= deadline)
            break;
        std::this_thread::sleep_for(5ms);
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    forget_foreign_child(pid);
    return status;
}

}  // namespace

std::unique_ptr<ExecChannel> ExecChannel::start(const std::vector<std::string>& argv) {
    int in[2] = {-1, -1};
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        int error = errno;
        for (int* fd : {&in[0], &in[1], &out[0], &out[1], &err[0], &err[1]})
            close_fd(*fd);
        throw UserError(
            fmt::format("cannot start '{}': {}", argv.empty() ? "" : argv[0], std::strerror(error)),
            "", "");
    }
    pid_t pid;
    try {
        pid = spawn_carrier(argv, {in[0], out[1], err[1]});
    } catch (...) {
        for (int* fd : {&in[0], &in[1], &out[0], &out[1], &err[0], &err[1]})
            close_fd(*fd);
        throw;
    }
    close_fd(in[0]);
    close_fd(out[1]);
    close_fd(err[1]);
    std::unique_ptr<ExecChannel> channel(new ExecChannel());
    channel->m_pid = pid;
    channel->m_program = argv[0].substr(argv[0].rfind('/') + 1);
    channel->m_to_agent = in[1];
    channel->m_from_agent = out[0];
    channel->m_diagnostics = err[0];
    return channel;
}

ExecChannel::~ExecChannel() {
    close_requests();
    finish(0ms);
    close_fd(m_from_agent);
    close_fd(m_diagnostics);
}

void ExecChannel::close_requests() {
    close_fd(m_to_agent);
}

std::string ExecChannel::finish(std::chrono::milliseconds limit) {
    if (!m_ended) {
        close_requests();
        m_ended = describe_wait_status(m_program, wait_or_kill(m_pid, limit));
    }
    return *m_ended;
}

FdChannel::~FdChannel() {
    close_requests();
    if (m_from_agent >= 0)
        close(m_from_agent);
}

void FdChannel::close_requests() {
    if (m_to_agent >= 0)
        close(m_to_agent);
    m_to_agent = -1;
}

namespace {

// Reads `out` and `err` until both end or `deadline` passes; false on the deadline.
bool collect_output(int out, int err, std::uint64_t deadline, CommandOutcome& outcome) {
    pollfd items[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
    std::string* texts[2] = {&outcome.stdout_text, &outcome.stderr_text};
    while (items[0].fd >= 0 || items[1].fd >= 0) {
        std::uint64_t now = monotonic_ns();
        if (now >= deadline)
            return false;
        int ready = poll(items, 2, static_cast<int>((deadline - now) / 1'000'000 + 1));
        if (ready < 0 && errno != EINTR)
            return false;
        for (int i = 0; i < 2 && ready > 0; ++i) {
            if (items[i].fd < 0 || items[i].revents == 0)
                continue;
            char buffer[4096];
            ssize_t n = read(items[i].fd, buffer, sizeof buffer);
            if (n <= 0 && !(n < 0 && errno == EINTR)) {
                items[i].fd = -1;
                continue;
            }
            if (n > 0)
                texts[i]->append(buffer, static_cast<std::size_t>(n));
        }
    }
    if (outcome.stderr_text.size() > k_stderr_tail)
        outcome.stderr_text.erase(0, outcome.stderr_text.size() - k_stderr_tail);
    return true;
}

}  // namespace

CommandOutcome run_command(const std::vector<std::string>& argv, int stdin_fd,
                           std::chrono::milliseconds limit) {
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
        throw UserError(fmt::format("cannot start '{}': {}", argv[0], std::strerror(errno)), "",
                        "");
    pid_t pid;
    try {
        pid = spawn_carrier(argv, {stdin_fd >= 0 ? stdin_fd : null_fd, out[1], err[1]});
    } catch (...) {
        for (int* fd : {&null_fd, &out[0], &out[1], &err[0], &err[1]})
            close_fd(*fd);
        throw;
    }
    for (int* fd : {&null_fd, &out[1], &err[1]})
        close_fd(*fd);
    CommandOutcome outcome;
    const std::uint64_t deadline =
        monotonic_ns() + static_cast<std::uint64_t>(limit.count()) * 1'000'000;
    bool in_time = collect_output(out[0], err[0], deadline, outcome);
    close_fd(out[0]);
    close_fd(err[0]);
    const std::string program = argv[0].substr(argv[0].rfind('/') + 1);
    int status = wait_or_kill(pid, in_time ? 5000ms : 0ms);
    outcome.ok = in_time && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    outcome.ended = in_time
                        ? describe_wait_status(program, status)
                        : fmt::format("{} did not finish in {} s", program, limit.count() / 1000);
    return outcome;
}

std::string last_lines(const std::string& text, unsigned lines) {
    std::vector<std::string> found;
    std::stringstream stream(text);
    std::string line;
    while (std::getline(stream, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        if (!line.empty())
            found.push_back(line);
    }
    if (found.size() > lines)
        found.erase(found.begin(), found.end() - lines);
    std::string joined;
    for (const std::string& each : found)
        joined += (joined.empty() ? "" : "; ") + each;
    return joined;
}

}  // namespace benchctl
