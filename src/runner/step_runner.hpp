#pragma once

#include <string>

#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"
#include "results/run_manifest.hpp"
#include "runner/resolved_cell.hpp"
#include "runner/run_control.hpp"
#include "runner/run_directory.hpp"
#include "runner/run_environment.hpp"

namespace benchctl {

// What the steps of a run share.
struct StepContext {
    const Matrix& matrix;
    const RunDirectory& directory;
    RunEnvironment& env;
    const RunControl& control;
};

// Runs one step with `values` filled in (${run_dir}, the services' variables and captures,
// "setup.<name>"; a cell's ${port} and ${cell} around a cell, else 0 and "setup"): a command
// through env.launcher, its output in `log` (relative to the run; emptied first, so that it holds
// this attempt's output only), until it exits or its
// timeout passes (then it is stopped, with everything it started); or an HTTP request through
// env.http. Then its captures, over the command's output (its last 64 KiB, stdout and stderr as
// logged) or the response's body. The record says "ok" with the captures, "interrupted" (the
// run was), or "failed" with why (could not start, a non-zero exit, the timeout, a refused
// connection, a status other than the one required, a capture that found nothing) and the
// output's tail. `output`, when given, receives what the captures read (for after checks).
// Never throws for what the step does; no process of it outlives the call.
StepRecord run_step(const StepContext& context, const StepSpec& step, const RuntimeValues& values,
                    const std::string& log, std::string* output = nullptr);

// "logs/setup-<name>.log", or "logs/<cell>.<section>-<name>.log" ("<cell>.rep<k>..." when the
// matrix repeats cells) for a step around a cell.
std::string step_log(const std::string& section, const std::string& name,
                     const std::string& cell_id = "", unsigned repetition = 0, unsigned repeat = 1);

// The value `capture` finds in `output`, or nullopt (json: the path's value in the output read
// as JSON; regex: the first group of the first match, or the whole match without a group).
std::optional<std::string> apply_capture(const StepCapture& capture, const std::string& output);

}  // namespace benchctl
