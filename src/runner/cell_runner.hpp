#pragma once

#include <map>
#include <string>

#include "matrix/matrix.hpp"
#include "results/cell_record.hpp"
#include "runner/run_control.hpp"
#include "runner/run_directory.hpp"
#include "runner/run_observer.hpp"
#include "runner/service_set.hpp"

namespace benchctl {

// What every cell of a run shares.
struct CellContext {
    const Matrix& matrix;
    const RunDirectory& directory;
    const ServiceSet& services;  // their variables; sampled over each cell's load
    RunControl& control;
    RunObserver& observer;
};

// Runs one cell from start to stop: a free port, the target started in its own process group
// with its output in logs/<id>.log, readiness, the target's warm-up wait, the load while the
// process tree's CPU and memory are sampled (and each service's, reported apart), then the stop
// signal and, after the grace period, SIGKILL for whatever is left. Never throws for what the
// target does: a target that cannot start, never becomes ready or dies during the load yields a
// failed record with the reason and the log's tail. No process of the cell outlives this call.
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

// Runs a target's version command (if any) for at most 10 s.
VersionProbe probe_version(const Matrix& matrix, const Cell& cell, const RunDirectory& directory);

}  // namespace benchctl
