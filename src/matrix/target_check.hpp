#pragma once

#include "matrix/document.hpp"

namespace benchctl {

class ProblemList;

// Reports a cell's target that never uses ${port} (in its command, shell or env) while its load
// URL or its readiness probe (tcp and http connect to 127.0.0.1:${port}) goes there: such a
// target is never reached, and every cell would fail or measure something else. `target` and
// `load` are the cell's merged settings with the expansion-time variables substituted. The
// problem is at the command (or shell), once for every cell that shares it.
void check_target_port(const DocNode& target, const DocNode& load, ProblemList& problems);

// The same for a service: its readiness probe connects to its own ${port}.
void check_service_port(const std::string& name, const DocNode& service, ProblemList& problems);

}  // namespace benchctl
