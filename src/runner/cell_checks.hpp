#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"
#include "results/cell_record.hpp"
#include "results/run_manifest.hpp"
#include "runner/resolved_cell.hpp"

namespace benchctl {

// The figures of a cell's load document (benchctl.load/1) an after check may use:
// "cell.completed", "cell.failed", and "cell.status.<code>" for every status 100..599 (0 for a
// status no response had).
Variables cell_figures(const nlohmann::json& load);

// Judges one after check: `ran` is its step's record, `output` what the step returned (the
// command's output or the response's body), `values` the cell's run-time variables with its
// figures. Without expect a check passes when its step succeeded. Throws UserError when the
// expected value names an unknown variable.
CheckRecord judge_check(const StepSpec& step, const StepRecord& ran, const std::string& output,
                        const RuntimeValues& values);

// `text` in double quotes, for messages: "\"19\"" (so that an empty or spaced value shows).
std::string quoted(const std::string& text);

}  // namespace benchctl
