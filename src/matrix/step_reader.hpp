#pragma once

#include <vector>

#include "matrix/document.hpp"
#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

class ProblemList;

// Where a list of steps sits: run-level setup, or around every cell.
enum class StepSection { setup, before, after };

// "setup", "before", "after".
const char* step_section_name(StepSection section);

// Reads `setup:`: a list of steps, each a map with a name (unique, [a-z0-9_-]), one kind
// (command: [...], shell: "...", or http: {url, method, headers, body, status}), cwd, env,
// timeout, and capture: {<name>: {json: "$.path"} | {regex: "..."}}. A step may use `runtime`
// (the services' variables, ${run_dir}, ${env:NAME}) and the captures of the steps before it
// (${setup.<name>}). Problems go to `problems` at the offending key or value: a step of no
// known kind, a malformed JSON path or regex, a capture named twice, a variable not defined.
// Returns the steps read (a broken one is left out).
std::vector<StepSpec> read_setup_steps(const DocNode* setup, const Variables& runtime,
                                       ProblemList& problems);

// Reads `before:` or `after:` (per-cell steps) as read_setup_steps does, with `runtime` the
// cell's run-time variables (${port}, ${cell}, the services', ${setup.<name>}); capture is for
// setup steps only. An after check may have expect: {output: V} (its trimmed output equals V),
// {json: "$.path", equals: V}, and/or {status: N} (an HTTP check's status), where V may use the
// cell's figures (figure_variables); expect is for after checks only.
std::vector<StepSpec> read_cell_steps(const DocNode* steps, StepSection section,
                                      const Variables& runtime, ProblemList& problems);

// The cell's figures an after check may compare with, mapped to examples: cell.completed,
// cell.failed, and cell.status.<code> for every status 100..599.
Variables figure_variables();

// ${setup.<name>} of every capture of `steps`, mapped to an example value, for the variables
// the cells may use.
Variables capture_variables(const std::vector<StepSpec>& steps);

}  // namespace benchctl
