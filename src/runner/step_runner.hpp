#pragma once

#include <string>

#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"
#include "results/run_manifest.hpp"
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

// Runs one step with `variables` (the services' and earlier captures, "setup.<name>") filled in:
// a command through env.launcher, its output in logs/setup-<name>.log, until it exits or its
// timeout passes (then it is stopped, with everything it started); or an HTTP request through
// env.http. Then its captures, over the command's output (its last 64 KiB, stdout and stderr as
// logged) or the response's body. The record says "ok" with the captures, "interrupted" (the
// run was), or "failed" with why (could not start, a non-zero exit, the timeout, a refused
// connection, a status other than the one required, a capture that found nothing) and the
// output's tail. Never throws for what the step does; no process of it outlives the call.
StepRecord run_step(const StepContext& context, const StepSpec& step, const Variables& variables);

// The value `capture` finds in `output`, or nullopt (json: the path's value in the output read
// as JSON; regex: the first group of the first match, or the whole match without a group).
std::optional<std::string> apply_capture(const CaptureSpec& capture, const std::string& output);

}  // namespace benchctl
