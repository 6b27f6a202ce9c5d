#include "launch/supervisor.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <ctime>

// Everything here runs in a child forked from a multi-threaded benchctl that never execs: only
// async-signal-safe calls (signal-safety(7)) and raw system calls, no allocation, no stdio, no
// locks, no exceptions.

namespace benchctl {

namespace {

constexpr std::int64_t k_ns_per_ms = 1000000;
// A process stuck in uninterruptible sleep ignores SIGKILL until it wakes: give up after this.
constexpr std::int64_t k_sweep_limit_ns = 10000 * k_ns_per_ms;
constexpr std::int64_t k_rmdir_limit_ns = 1000 * k_ns_per_ms;
constexpr int k_tracked_kills = 512;
constexpr int k_keep_fds = 8;

// The layout of one getdents64 record (linux_dirent64); glibc has no declaration of it.
struct DirectoryRecord {
    std::uint64_t inode;
    std::int64_t offset;
    unsigned short length;
    unsigned char type;
    char name[1];
};

std::int64_t now_ns() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1000 * k_ns_per_ms + now.tv_nsec;
}

void pause_ms(long milliseconds) {
    timespec period{0, milliseconds * k_ns_per_ms};
    while (nanosleep(&period, &period) != 0 && errno == EINTR) {
    }
}

void write_event(int fd, SupervisorEventKind kind, pid_t pid, int value) {
    SupervisorEvent event{kind, pid, value};
    // Fails with EPIPE once benchctl is gone (SIGPIPE is ignored): nobody is left to tell.
    while (write(fd, &event, sizeof event) < 0 && errno == EINTR) {
    }
}

// Distinct processes the final sweep SIGKILLed.
struct KillCount {
    pid_t seen[k_tracked_kills];
    int tracked = 0;
    int total = 0;

    void note(pid_t pid) {
        for (int i = 0; i < tracked; ++i) {
            if (seen[i] == pid)
                return;
        }
        if (tracked < k_tracked_kills)
            seen[tracked++] = pid;
        ++total;
    }
};

// Closes every descriptor except the non-negative ones in `keep`.
void close_all_except(int* keep, int count) {
    for (int i = 1; i < count; ++i) {
        for (int j = i; j > 0 && keep[j] < keep[j - 1]; --j) {
            int swap = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = swap;
        }
    }
    unsigned next = 0;
    for (int i = 0; i < count; ++i) {
        if (keep[i] < 0 || static_cast<unsigned>(keep[i]) < next)
            continue;
        if (static_cast<unsigned>(keep[i]) > next)
            syscall(SYS_close_range, next, static_cast<unsigned>(keep[i]) - 1, 0U);
        next = static_cast<unsigned>(keep[i]) + 1;
    }
    syscall(SYS_close_range, next, ~0U, 0U);
}

// Writes "<pid>/stat" into `out` (at least 32 bytes).
void stat_path(long pid, char* out) {
    char digits[24];
    int count = 0;
    do {
        digits[count++] = static_cast<char>('0' + pid % 10);
        pid /= 10;
    } while (pid > 0);
    int at = 0;
    while (count > 0)
        out[at++] = digits[--count];
    const char* suffix = "/stat";
    for (int i = 0; suffix[i] != '\0'; ++i)
        out[at++] = suffix[i];
    out[at] = '\0';
}

// The parent pid of the process whose /proc/<pid>/stat is `text`; -1 when it cannot be parsed
// or the process is a zombie (it is dead already and only needs reaping).
pid_t live_parent(const char* text, ssize_t length) {
    ssize_t paren = length - 1;
    while (paren >= 0 && text[paren] != ')')
        --paren;
    if (paren < 0 || paren + 4 >= length)
        return -1;
    char state = text[paren + 2];
    if (state == 'Z' || state == 'X')
        return -1;
    long ppid = 0;
    for (ssize_t i = paren + 4; i < length && text[i] >= '0' && text[i] <= '9'; ++i)
        ppid = ppid * 10 + (text[i] - '0');
    return static_cast<pid_t>(ppid);
}

// SIGKILLs every living child of this process, found in /proc. Killing a child re-parents its
// own children here (this process is a subreaper), so repeated sweeps reach every descendant.
void kill_children(pid_t self, KillCount& count) {
    int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc < 0)
        return;
    alignas(8) char records[8192];
    for (;;) {
        long length = syscall(SYS_getdents64, proc, records, sizeof records);
        if (length <= 0)
            break;
        for (long at = 0; at < length;) {
            auto* record = reinterpret_cast<DirectoryRecord*>(records + at);
            at += record->length;
            long pid = 0;
            const char* name = record->name;
            for (; *name >= '0' && *name <= '9'; ++name)
                pid = pid * 10 + (*name - '0');
            if (*name != '\0' || pid <= 0)
                continue;
            char path[32];
            stat_path(pid, path);
            int fd = openat(proc, path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                continue;
            char text[1024];
            ssize_t read_length = read(fd, text, sizeof text);
            close(fd);
            if (read_length > 0 && live_parent(text, read_length) == self) {
                kill(static_cast<pid_t>(pid), SIGKILL);
                count.note(static_cast<pid_t>(pid));
            }
        }
    }
    close(proc);
}

// Reaps every child that ended; reports the root's end once. True when no child is left.
bool reap(pid_t root, int events, bool& root_reported) {
    for (;;) {
        int status = 0;
        pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);
        if (pid > 0) {
            if (pid == root && !root_reported) {
                write_event(events, SupervisorEventKind::root_exited, pid, status);
                root_reported = true;
            }
            continue;
        }
        if (pid < 0 && errno == EINTR)
            continue;
        return pid < 0 && errno == ECHILD;
    }
}

// Kills the whole tree and reaps it; returns how many processes needed killing.
int tear_down(const SupervisorPlan& plan, pid_t self, pid_t root, bool& root_reported) {
    KillCount count;
    std::int64_t limit = now_ns() + k_sweep_limit_ns;
    while (!reap(root, plan.events, root_reported) && now_ns() < limit) {
        // One write kills the whole group at once, children forked in the meantime included.
        if (plan.cgroup_kill >= 0) {
            ssize_t ignored = write(plan.cgroup_kill, "1", 1);
            (void)ignored;
        }
        kill_children(self, count);
        pause_ms(2);
    }
    if (plan.cgroup_path != nullptr) {
        std::int64_t rmdir_limit = now_ns() + k_rmdir_limit_ns;
        while (rmdir(plan.cgroup_path) != 0 && errno == EBUSY && now_ns() < rmdir_limit)
            pause_ms(5);
    }
    return count.total;
}

// Signals that would end the supervisor are ignored: only benchctl (by closing the control
// pipe) or SIGKILL ends it. SIGCHLD is blocked and read through a signalfd instead.
int prepare_signals() {
    for (int sig : {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM}) {
        signal(sig, SIG_IGN);
    }
    sigset_t child;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    sigprocmask(SIG_BLOCK, &child, nullptr);
    return signalfd(-1, &child, SFD_CLOEXEC | SFD_NONBLOCK);
}

// Waits until the control pipe ends (benchctl closed it or died), reaping as children end.
void watch(const SupervisorPlan& plan, int child_signals, pid_t root, bool& root_reported) {
    for (;;) {
        pollfd items[2] = {{plan.control, POLLIN, 0}, {child_signals, POLLIN, 0}};
        // Without a signalfd, look for ended children every 20 ms instead.
        int ready = poll(items, child_signals >= 0 ? 2 : 1, child_signals >= 0 ? -1 : 20);
        if (ready < 0 && errno != EINTR)
            return;
        if (child_signals >= 0 && (items[1].revents & POLLIN) != 0) {
            signalfd_siginfo info;
            while (read(child_signals, &info, sizeof info) > 0) {
            }
        }
        reap(root, plan.events, root_reported);
        if (items[0].revents != 0) {
            char bytes[64];
            ssize_t n = read(plan.control, bytes, sizeof bytes);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
                return;
        }
    }
}

}  // namespace

void run_supervisor(const SupervisorPlan& plan) {
    pid_t self = getpid();
    setpgid(0, 0);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    prctl(PR_SET_NAME, "benchctl-guard");
    // Holding benchctl's stdout would keep a pipe reader waiting after benchctl died.
    int keep[k_keep_fds] = {plan.control,     plan.events,
                            plan.root.log,    plan.root.null,
                            plan.root.report, plan.root.cgroup_procs,
                            plan.cgroup_kill, -1};
    close_all_except(keep, k_keep_fds);
    int child_signals = prepare_signals();
    // _Fork, unlike fork, runs no atfork handlers: async-signal-safe (glibc 2.34).
    pid_t root = _Fork();
    if (root == 0)
        exec_child(*plan.exec, self, plan.root);
    if (root < 0) {
        ChildFailure failure{ChildStep::fork, errno};
        ssize_t ignored = write(plan.root.report, &failure, sizeof failure);
        (void)ignored;
    } else {
        write_event(plan.events, SupervisorEventKind::root_started, root, 0);
    }
    // benchctl reads the exec report until every writer closed it: the root at exec, and here.
    for (int fd : {plan.root.report, plan.root.log, plan.root.null, plan.root.cgroup_procs}) {
        if (fd >= 0)
            close(fd);
    }
    bool root_reported = root < 0;
    watch(plan, child_signals, root, root_reported);
    int killed = tear_down(plan, self, root, root_reported);
    write_event(plan.events, SupervisorEventKind::finished, root, killed);
    _exit(0);
}

}  // namespace benchctl
