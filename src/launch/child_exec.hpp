#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "launch/process_tree.hpp"

namespace benchctl {

// Which step of a child failed, sent with errno through its close-on-exec report pipe.
enum class ChildStep : int { chdir, exec, setup, cgroup, fork, user };

struct ChildFailure {
    ChildStep step;
    int error;
};

// Everything a child needs to exec a target, built before fork: after fork only
// async-signal-safe calls are made (benchctl has other threads).
struct ExecPlan {
    std::vector<std::string> argv_storage;
    std::vector<std::string> env_storage;
    std::vector<char*> argv;
    std::vector<char*> envp;
    const char* cwd = nullptr;
    // LaunchSpec::user: switch to these ids before anything else of the target runs.
    bool switch_user = false;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
    std::string user_name;  // for messages
};

// The plan for `spec`: /bin/sh -c for a shell command, benchctl's environment overridden by
// spec.env, plus `tag_entry` ("NAME=value").
ExecPlan plan_exec(const LaunchSpec& spec, const std::string& tag_entry);

// The descriptors a child sets itself up with.
struct ChildDescriptors {
    int log = -1;           // becomes stdout and stderr
    int null = -1;          // becomes stdin (/dev/null)
    int report = -1;        // close-on-exec pipe: a ChildFailure is written there on failure
    int cgroup_procs = -1;  // cgroup.procs of the tree's group, or -1 without one
};

// The child between fork and exec; never returns. Makes itself the leader of a new process
// group, joins the cgroup, switches to the plan's user (groups, gid, then uid), dies with
// `parent` (PR_SET_PDEATHSIG, set after the switch, which would clear it), resets every signal
// disposition and the mask, redirects stdio, closes every other descriptor, changes directory
// and execs. On failure it writes a ChildFailure to fds.report and exits 127.
[[noreturn]] void exec_child(const ExecPlan& plan, pid_t parent, const ChildDescriptors& fds);

// Reports a failure of `step` (errno) through `report_fd` and exits 127.
[[noreturn]] void fail_child(int report_fd, ChildStep step);

// Reads a child's report from `fd`: true, with `failure` filled, when the child failed; false
// when the pipe closed empty (the exec succeeded).
bool read_child_failure(int fd, ChildFailure& failure);

// Throws the UserError "cannot start '<argv0>': ..." with a hint for `failure`.
[[noreturn]] void throw_child_failure(const ExecPlan& plan, const ChildFailure& failure);

}  // namespace benchctl
