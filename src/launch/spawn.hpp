#pragma once

#include <sys/types.h>

#include <string>

#include "launch/process_tree.hpp"

namespace benchctl {

// Forks and execs `spec` as the leader of a new process group, with `tag_entry` ("NAME=value")
// added to its environment, stdin from /dev/null and stdout/stderr appended to `log_fd`. The
// child gets default signal dispositions, an empty signal mask, no other open descriptors and
// PR_SET_PDEATHSIG(SIGKILL) (tied to the calling thread: start trees from a long-lived thread).
// Returns the child's pid once exec succeeded. Throws UserError "cannot start '<argv0>': ..."
// when the working directory or the program cannot be used; the failed child is reaped.
pid_t spawn_process(const LaunchSpec& spec, const std::string& tag_entry, int log_fd);

}  // namespace benchctl
