#pragma once

#include <vector>

#include "matrix/document.hpp"
#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

class ProblemList;

// Reads `setup:`: a list of steps, each a map with a name (unique, [a-z0-9_-]), one kind
// (command: [...], shell: "...", or http: {url, method, headers, body, status}), cwd, env,
// timeout, and capture: {<name>: {json: "$.path"} | {regex: "..."}}. A step may use `runtime`
// (the services' variables, ${run_dir}, ${env:NAME}) and the captures of the steps before it
// (${setup.<name>}). Problems go to `problems` at the offending key or value: a step of no
// known kind, a malformed JSON path or regex, a capture named twice, a variable not defined.
// Returns the steps read (a broken one is left out).
std::vector<StepSpec> read_setup_steps(const DocNode* setup, const Variables& runtime,
                                       ProblemList& problems);

// ${setup.<name>} of every capture of `steps`, mapped to an example value, for the variables
// the cells may use.
Variables capture_variables(const std::vector<StepSpec>& steps);

}  // namespace benchctl
