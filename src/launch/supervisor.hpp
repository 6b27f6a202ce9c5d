#pragma once

#include <sys/types.h>

#include <cstdint>

#include "launch/child_exec.hpp"

namespace benchctl {

// What a supervisor tells benchctl, one fixed-size record per write (atomic on a pipe).
enum class SupervisorEventKind : std::int32_t {
    root_started = 1,  // pid: the root's pid
    root_exited = 2,   // pid: the root's pid; value: its wait status (waitpid)
    finished = 3,      // the tree is gone; value: processes the final sweep had to SIGKILL
};

struct SupervisorEvent {
    SupervisorEventKind kind;
    std::int32_t pid;
    std::int32_t value;
};

// What the supervisor works with; every descriptor and string is ready before the fork.
struct SupervisorPlan {
    int control = -1;       // read end of benchctl's control pipe: EOF = tear the tree down
    int events = -1;        // write end of the event pipe to benchctl
    ChildDescriptors root;  // for the root: log, /dev/null, exec report pipe, cgroup.procs
    int cgroup_kill = -1;   // cgroup.kill of the tree's group, or -1
    const char* cgroup_path = nullptr;  // the group's directory, removed at the end, or null
    const ExecPlan* exec = nullptr;     // the root's command
};

// The body of a tree's supervisor, run in a child forked from benchctl; never returns, calls
// only async-signal-safe functions (benchctl has other threads) and allocates nothing.
//
// The supervisor sits between benchctl and the root: it is a child subreaper in a process group
// of its own, outside the tree's cgroup, ignoring the usual terminating signals, so a signal the
// target sends to its own group or a kill of the cgroup cannot reach it. It forks the root
// (exec_child), announces its pid, reaps every process of the tree that ends (an orphan of the
// tree, daemons included, is re-parented to it, never to init) and reports the root's exit.
// When the control pipe reaches end of file (benchctl closed it after stopping the tree, or
// benchctl died, even by SIGKILL) it SIGKILLs the cgroup and every descendant until it has no
// child left, removes the cgroup, reports `finished` and exits.
[[noreturn]] void run_supervisor(const SupervisorPlan& plan);

}  // namespace benchctl
