#include "launch/spawn.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <vector>

#include "util/error.hpp"

extern char** environ;

namespace benchctl {

namespace {

// Which step of the child failed, sent with errno through the close-on-exec pipe.
enum class ChildStep : int { chdir, exec, setup };

struct ChildFailure {
    ChildStep step;
    int error;
};

// Everything the child needs, built before fork: after fork only async-signal-safe calls.
struct ExecPlan {
    std::vector<std::string> argv_storage;
    std::vector<std::string> env_storage;
    std::vector<char*> argv;
    std::vector<char*> envp;
    const char* cwd = nullptr;
};

ExecPlan plan_exec(const LaunchSpec& spec, const std::string& tag_entry) {
    ExecPlan plan;
    plan.argv_storage =
        spec.shell ? std::vector<std::string>{"/bin/sh", "-c", *spec.shell} : spec.argv;
    std::map<std::string, std::string> env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string text = *entry;
        std::size_t equals = text.find('=');
        if (equals != std::string::npos)
            env[text.substr(0, equals)] = text.substr(equals + 1);
    }
    for (const auto& [name, value] : spec.env)
        env[name] = value;
    std::size_t tag_equals = tag_entry.find('=');
    env[tag_entry.substr(0, tag_equals)] = tag_entry.substr(tag_equals + 1);
    for (const auto& [name, value] : env)
        plan.env_storage.push_back(name + "=" + value);
    for (std::string& arg : plan.argv_storage)
        plan.argv.push_back(arg.data());
    plan.argv.push_back(nullptr);
    for (std::string& entry : plan.env_storage)
        plan.envp.push_back(entry.data());
    plan.envp.push_back(nullptr);
    if (!spec.cwd.empty())
        plan.cwd = spec.cwd.c_str();
    return plan;
}

[[noreturn]] void fail_child(int report_fd, ChildStep step) {
    ChildFailure failure{step, errno};
    ssize_t ignored = write(report_fd, &failure, sizeof failure);
    (void)ignored;
    _exit(127);
}

// Closes every descriptor from 3 up except `keep` (the report pipe, close-on-exec itself).
void close_other_fds(int keep) {
    if (keep > 3)
        syscall(SYS_close_range, 3U, static_cast<unsigned>(keep - 1), 0U);
    if (syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0U, 0U) == 0)
        return;
    long limit = sysconf(_SC_OPEN_MAX);
    for (int fd = keep + 1; fd < limit && fd < 65536; ++fd)
        close(fd);
}

// The child between fork and exec; never returns.
[[noreturn]] void run_child(const ExecPlan& plan, pid_t parent, int log_fd, int null_fd,
                            int report_fd) {
    if (setpgid(0, 0) != 0)
        fail_child(report_fd, ChildStep::setup);
    // Dies with benchctl; if benchctl is already gone, the death signal came too early.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        fail_child(report_fd, ChildStep::setup);
    if (getppid() != parent)
        _exit(127);
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (dup2(null_fd, 0) < 0 || dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0) {
        fail_child(report_fd, ChildStep::setup);
    }
    close_other_fds(report_fd);
    if (plan.cwd != nullptr && chdir(plan.cwd) != 0)
        fail_child(report_fd, ChildStep::chdir);
    // execvp searches the PATH of the target's environment, not benchctl's.
    environ = const_cast<char**>(plan.envp.data());
    execvp(plan.argv[0], plan.argv.data());
    fail_child(report_fd, ChildStep::exec);
}

std::string hint_for(const ChildFailure& failure) {
    if (failure.step == ChildStep::chdir)
        return "check the target's cwd";
    if (failure.error == ENOENT) {
        return "check that the program is installed and on PATH, or give its full path";
    }
    if (failure.error == EACCES)
        return "check that the program is executable";
    return "check the target's command";
}

[[noreturn]] void throw_child_failure(const ExecPlan& plan, const ChildFailure& failure) {
    std::string cause = std::strerror(failure.error);
    if (failure.step == ChildStep::chdir) {
        cause = fmt::format("cannot change to directory '{}': {}", plan.cwd, cause);
    }
    throw UserError(fmt::format("cannot start '{}': {}", plan.argv_storage[0], cause), "",
                    hint_for(failure));
}

// Reads the child's report: nullopt-like false when exec succeeded (the pipe closed empty).
bool read_failure(int fd, ChildFailure& failure) {
    ssize_t n;
    do {
        n = read(fd, &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    return n == static_cast<ssize_t>(sizeof failure);
}

}  // namespace

pid_t spawn_process(const LaunchSpec& spec, const std::string& tag_entry, int log_fd) {
    if (!spec.shell && spec.argv.empty()) {
        throw UserError("cannot start an empty command", "", "give the target a command");
    }
    ExecPlan plan = plan_exec(spec, tag_entry);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int report[2];
    if (null_fd < 0 || pipe2(report, O_CLOEXEC) != 0) {
        int error = errno;
        if (null_fd >= 0)
            close(null_fd);
        throw UserError(
            fmt::format("cannot start '{}': {}", plan.argv_storage[0], std::strerror(error)), "",
            "");
    }
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0)
        run_child(plan, parent, log_fd, null_fd, report[1]);
    int fork_error = errno;
    close(report[1]);
    close(null_fd);
    ChildFailure failure{};
    bool failed = child > 0 && read_failure(report[0], failure);
    close(report[0]);
    if (child < 0) {
        throw UserError(fmt::format("cannot start '{}': fork failed: {}", plan.argv_storage[0],
                                    std::strerror(fork_error)),
                        "", "");
    }
    if (failed) {
        while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
        }
        throw_child_failure(plan, failure);
    }
    return child;
}

}  // namespace benchctl
