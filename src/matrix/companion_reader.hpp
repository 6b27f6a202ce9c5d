#pragma once

#include <vector>

#include "matrix/document.hpp"
#include "matrix/host_check.hpp"
#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

class ProblemList;

// Checks and reads a cell's `target.companions` (the merged target, its expansion-time variables
// substituted): a map of name -> `kind: nginx` (read as an nginx service whose upstream defaults
// to 127.0.0.1:${app_port}) or a command (companion_schema(), checked as a target is, its
// programs on this machine when `host` is set). Reports a malformed or clashing name, an unknown
// kind or a kind that is a service (postgres, redis), companions on a shared target (scope:
// run), a target that never uses ${app_port} while it has companions (unless it is probed by its
// log: a server on a Unix socket), a command companion that
// never uses ${port}, and ${app_port} in a cell without companions. Problems go to `problems` at
// the offending key or value; returns the companions it could read, in file order.
std::vector<CompanionSpec> read_companions(const DocNode& target, const DocNode& load,
                                           const Variables& runtime, HostCheck* host,
                                           ProblemList& problems);

}  // namespace benchctl
