#include "launch/spawn.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "launch/cgroup.hpp"
#include "launch/child_exec.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

// The descriptors of one spawn, closed on every path out of it unless handed over.
struct SpawnPipes {
    int null = -1;
    int report[2] = {-1, -1};
    int control[2] = {-1, -1};
    int events[2] = {-1, -1};

    bool open_all() {
        null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        return null >= 0 && pipe2(report, O_CLOEXEC) == 0 && pipe2(control, O_CLOEXEC) == 0 &&
               pipe2(events, O_CLOEXEC) == 0;
    }
    // Closes the supervisor's ends, once it has its own copies.
    void close_child_ends() {
        close_one(null);
        close_one(report[1]);
        close_one(control[0]);
        close_one(events[1]);
    }
    ~SpawnPipes() {
        for (int* fd :
             {&null, &report[0], &report[1], &control[0], &control[1], &events[0], &events[1]})
            close_one(*fd);
    }
    static void close_one(int& fd) {
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
};

[[noreturn]] void throw_spawn_error(const ExecPlan& plan, const std::string& step, int error) {
    throw UserError(
        fmt::format("cannot start '{}': {}{}", plan.argv_storage[0], step, std::strerror(error)),
        "",
        error == EAGAIN ? "raise the limit on processes (ulimit -u, a container's pids limit)"
                        : "");
}

// After a failed start: the supervisor sees end of file, sweeps what is left and exits.
void reap_failed_supervisor(pid_t supervisor, SpawnPipes& pipes) {
    SpawnPipes::close_one(pipes.control[1]);
    while (waitpid(supervisor, nullptr, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace

SupervisedRoot spawn_supervised(const LaunchSpec& spec, const std::string& tag_entry, int log_fd,
                                const Cgroup* cgroup) {
    if (!spec.shell && spec.argv.empty()) {
        throw UserError("cannot start an empty command", "", "give the target a command");
    }
    ExecPlan plan = plan_exec(spec, tag_entry);
    SpawnPipes pipes;
    if (!pipes.open_all())
        throw_spawn_error(plan, "", errno);
    SupervisorPlan supervisor_plan;
    supervisor_plan.control = pipes.control[0];
    supervisor_plan.events = pipes.events[1];
    supervisor_plan.root = {log_fd, pipes.null, pipes.report[1],
                            cgroup != nullptr ? cgroup->procs_fd() : -1};
    supervisor_plan.cgroup_kill = cgroup != nullptr ? cgroup->kill_fd() : -1;
    supervisor_plan.cgroup_path = cgroup != nullptr ? cgroup->path().c_str() : nullptr;
    supervisor_plan.exec = &plan;
    pid_t supervisor = fork();
    if (supervisor == 0)
        run_supervisor(supervisor_plan);
    int fork_error = errno;
    pipes.close_child_ends();
    if (supervisor < 0)
        throw_spawn_error(plan, "fork failed: ", fork_error);
    // The report pipe ends once the root exec'd and the supervisor closed its copy, which it
    // does after announcing the root.
    ChildFailure failure{};
    bool failed = read_child_failure(pipes.report[0], failure);
    bool ended = false;
    std::optional<SupervisorEvent> started;
    if (!failed)
        started = read_supervisor_event(pipes.events[0], std::chrono::milliseconds(-1), ended);
    if (failed || !started || started->kind != SupervisorEventKind::root_started) {
        reap_failed_supervisor(supervisor, pipes);
        if (failed)
            throw_child_failure(plan, failure);
        throw_spawn_error(plan, "its supervisor ended: ", ECHILD);
    }
    fcntl(pipes.events[0], F_SETFL, O_NONBLOCK);
    SupervisedRoot result{supervisor, started->pid, pipes.control[1], pipes.events[0]};
    pipes.control[1] = -1;
    pipes.events[0] = -1;
    return result;
}

std::optional<SupervisorEvent> read_supervisor_event(int events, std::chrono::milliseconds timeout,
                                                     bool& ended) {
    pollfd item{events, POLLIN, 0};
    int ready;
    do {
        ready = poll(&item, 1, static_cast<int>(timeout.count()));
    } while (ready < 0 && errno == EINTR);
    if (ready <= 0)
        return std::nullopt;
    SupervisorEvent event{};
    ssize_t n;
    do {
        n = read(events, &event, sizeof event);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof event))
        return event;
    if (n == 0 || (n < 0 && errno != EAGAIN))
        ended = true;
    return std::nullopt;
}

}  // namespace benchctl
