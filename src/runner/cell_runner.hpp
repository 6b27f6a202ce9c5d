#pragma once

#include <map>
#include <string>

#include "matrix/matrix.hpp"
#include "results/cell_record.hpp"
#include "runner/run_control.hpp"
#include "runner/run_directory.hpp"
#include "runner/run_environment.hpp"
#include "runner/run_observer.hpp"
#include "runner/service_set.hpp"
#include "runner/shared_target.hpp"

namespace benchctl {

// What every cell of a run shares.
struct CellContext {
    const Matrix& matrix;
    const RunDirectory& directory;
    const ServiceSet& services;  // their variables; sampled over each cell's load
    RunEnvironment& env;
    RunControl& control;
    RunObserver& observer;
    // What the cells' strings may use besides ${port}, ${run_dir} and ${cell}: the services'
    // variables and the setup steps' captures ("setup.<name>").
    const Variables& variables;
    // The run's shared target (target.scope: run); nullptr: every cell starts its own.
    SharedTarget* shared = nullptr;
};

// Runs one cell from start to stop: a free port, the target started (env.launcher) with its
// output in logs/<id>.log and pinned to target.cpus, readiness, the settle step (target.settle),
// the target's warm-up wait, the load (env.load) while the process tree's CPU and memory are
// sampled, then the stop signal and, after the grace period, SIGKILL for whatever is left; last,
// the warnings of cell_warnings.hpp. Never throws for what the target does: a target that cannot
// start, never becomes ready, dies while settling or during the load yields a failed record with
// the reason and the log's tail. No process of the cell outlives this call, except a shared
// target (cell.target.shared, context.shared): it is started (with ready, settle and warm-up)
// only when no instance of it runs, restarted when it died, then kept for the next cells; the
// cell's record says `shared_target`, and its resources cover its load only.
CellRecord run_cell(const CellContext& context, const Cell& cell, unsigned repetition);

// What a target's version command said.
struct VersionProbe {
    // Its output lines joined by "; ", with a note when it did not finish in time; "" when the
    // target has no version command or it could not run.
    std::string version;
    // For the user (RunObserver::on_note) when the command hung (it is killed after 10 s, with
    // everything it started) or could not be started; "" otherwise.
    std::string warning;
};

// Runs a target's version command (if any) for at most 10 s on env.clock.
VersionProbe probe_version(const CellContext& context, const Cell& cell);

}  // namespace benchctl
