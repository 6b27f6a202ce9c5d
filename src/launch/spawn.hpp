#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

#include "launch/process_tree.hpp"
#include "launch/supervisor.hpp"

namespace benchctl {

class Cgroup;

// A root started under its own supervisor (supervisor.hpp).
struct SupervisedRoot {
    pid_t supervisor = 0;  // benchctl's child; reaped by the caller after `finished`
    pid_t root = 0;        // the supervisor's child, the target itself
    int control = -1;      // write end of the control pipe: closing it ends the tree
    int events = -1;       // read end of the supervisor's event pipe, non-blocking
};

// Forks a supervisor, which forks and execs `spec` as the leader of a new process group (in
// `cgroup` when given), with `tag_entry` ("NAME=value") added to its environment, stdin from
// /dev/null and stdout/stderr appended to `log_fd`. The root gets default signal dispositions,
// an empty signal mask, no other open descriptors and PR_SET_PDEATHSIG(SIGKILL) tied to its
// supervisor; the supervisor itself outlives benchctl until it has killed the tree.
// Returns once exec succeeded; the caller owns both descriptors. Throws UserError
// "cannot start '<argv0>': ..." when the working directory, the program, the cgroup or a fork
// fails; the supervisor is then ended and reaped.
SupervisedRoot spawn_supervised(const LaunchSpec& spec, const std::string& tag_entry, int log_fd,
                                const Cgroup* cgroup);

// The supervisor's next event on `events`, waiting up to `timeout` for it (zero: only one that
// is already there). nullopt when none came in time or the pipe ended; `ended` is set then.
std::optional<SupervisorEvent> read_supervisor_event(int events, std::chrono::milliseconds timeout,
                                                     bool& ended);

}  // namespace benchctl
