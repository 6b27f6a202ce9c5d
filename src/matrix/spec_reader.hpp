#pragma once

#include "matrix/document.hpp"
#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

class DataSetCache;
class ProblemList;

// Checks what only a whole target (a cell's after merging, or a service's) must satisfy, beyond
// check_map: a command or a shell line (returns false, without a problem, when there is none:
// the caller says which cells lack one), readiness status only with an http probe, tcp only
// true.
bool check_complete_target(const DocNode& target, ProblemList& problems);

// Checks a cell's whole load settings together as benchctl load would (connections >= threads,
// requests >= connections, ...), with `runtime_examples` standing in for ${port} and the
// others; a problem is placed at the key to change. body_file must name a readable file,
// relative to `directory`, unless it holds run-time variables. The request model is compiled
// (placeholders, data files read through `data_sets`, weights, captures ...), each problem
// placed where it was written.
void check_complete_load(const DocNode& load, const std::string& directory,
                         const Variables& runtime_examples, DataSetCache& data_sets,
                         ProblemList& problems);

// The target settings of a checked map (strings keep their run-time variables). Malformed values,
// reported before, fall back to the defaults.
TargetSpec read_target(const DocNode& target);

// The load settings of a checked map, request model included; path: becomes url
// http://127.0.0.1:${port}<path>.
LoadSpec read_load(const DocNode& load);

}  // namespace benchctl
