#include "launch/child_exec.hpp"

#include <fmt/format.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>

#include "util/error.hpp"

extern char** environ;

namespace benchctl {

namespace {

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

std::string hint_for(const ChildFailure& failure) {
    switch (failure.step) {
        case ChildStep::chdir:
            return "check the target's cwd";
        case ChildStep::cgroup:
            return "set BENCHCTL_NO_CGROUP=1 to track processes without a cgroup";
        case ChildStep::fork:
            return "raise the limit on processes (ulimit -u, a container's pids limit)";
        case ChildStep::setup:
            return "check the target's command";
        case ChildStep::user:
            return "run benchctl as root, or as the user the server runs as";
        case ChildStep::exec:
            break;
    }
    if (failure.error == ENOENT) {
        return "check that the program is installed and on PATH, or give its full path";
    }
    if (failure.error == EACCES)
        return "check that the program is executable";
    return "check the target's command";
}

// Raw system calls: this process is a fork of a multi-threaded one, where glibc's wrappers would
// try to change the credentials of threads that no longer exist here.
void switch_user(const ExecPlan& plan, int report_fd) {
    if (syscall(SYS_setgroups, plan.groups.size(), plan.groups.data()) != 0 ||
        syscall(SYS_setresgid, plan.gid, plan.gid, plan.gid) != 0 ||
        syscall(SYS_setresuid, plan.uid, plan.uid, plan.uid) != 0) {
        fail_child(report_fd, ChildStep::user);
    }
}

}  // namespace

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
    if (spec.user) {
        plan.switch_user = true;
        plan.uid = spec.user->uid;
        plan.gid = spec.user->gid;
        plan.groups = spec.user->groups;
        plan.user_name = spec.user->name;
    }
    return plan;
}

void fail_child(int report_fd, ChildStep step) {
    ChildFailure failure{step, errno};
    ssize_t ignored = write(report_fd, &failure, sizeof failure);
    (void)ignored;
    _exit(127);
}

void exec_child(const ExecPlan& plan, pid_t parent, const ChildDescriptors& fds) {
    if (setpgid(0, 0) != 0)
        fail_child(fds.report, ChildStep::setup);
    // Before anything of the target runs, so that nothing it forks can be outside the group;
    // and before the switch of user, which may take away the right to write cgroup.procs.
    if (fds.cgroup_procs >= 0 && write(fds.cgroup_procs, "0", 1) != 1)
        fail_child(fds.report, ChildStep::cgroup);
    if (plan.switch_user)
        switch_user(plan, fds.report);
    // Dies with its parent; if the parent is already gone, the death signal came too early.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        fail_child(fds.report, ChildStep::setup);
    if (getppid() != parent)
        _exit(127);
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (dup2(fds.null, 0) < 0 || dup2(fds.log, 1) < 0 || dup2(fds.log, 2) < 0) {
        fail_child(fds.report, ChildStep::setup);
    }
    close_other_fds(fds.report);
    if (plan.cwd != nullptr && chdir(plan.cwd) != 0)
        fail_child(fds.report, ChildStep::chdir);
    // execvp searches the PATH of the target's environment, not benchctl's.
    environ = const_cast<char**>(plan.envp.data());
    execvp(plan.argv[0], plan.argv.data());
    fail_child(fds.report, ChildStep::exec);
}

bool read_child_failure(int fd, ChildFailure& failure) {
    ssize_t n;
    do {
        n = read(fd, &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    return n == static_cast<ssize_t>(sizeof failure);
}

void throw_child_failure(const ExecPlan& plan, const ChildFailure& failure) {
    std::string cause = std::strerror(failure.error);
    switch (failure.step) {
        case ChildStep::chdir:
            cause = fmt::format("cannot change to directory '{}': {}", plan.cwd, cause);
            break;
        case ChildStep::cgroup:
            cause = fmt::format("cannot join its cgroup: {}", cause);
            break;
        case ChildStep::fork:
            cause = fmt::format("fork failed: {}", cause);
            break;
        case ChildStep::user:
            cause = fmt::format("cannot switch to user '{}': {}", plan.user_name, cause);
            break;
        default:
            break;
    }
    throw UserError(fmt::format("cannot start '{}': {}", plan.argv_storage[0], cause), "",
                    hint_for(failure));
}

}  // namespace benchctl
