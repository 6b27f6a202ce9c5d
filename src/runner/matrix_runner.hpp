#pragma once

#include <map>
#include <string>
#include <vector>

#include "matrix/matrix.hpp"
#include "runner/run_control.hpp"
#include "runner/run_observer.hpp"

namespace benchctl {

struct RunOptions {
    std::string out_dir;     // "" = results/<UTC time>-<matrix name>
    std::string resume_dir;  // continue this run: only cells not done yet
    std::string results_root = "results";
    std::vector<std::string> overrides;         // --set key=value as given, kept in the manifest
    std::map<std::string, std::string> labels;  // --label key=value, kept in a new run's manifest
};

struct RunSummary {
    std::string run_dir;
    unsigned done = 0;
    unsigned failed = 0;
    unsigned skipped = 0;  // already done in the run being resumed
    bool interrupted = false;
    unsigned thresholds_failed = 0;  // cell runs with at least one failed threshold
};

// Runs every cell of `matrix` (`repeat` times, interleaved: all cells, then all again) and keeps
// each result in the run directory as soon as the cell ends; the manifest is rewritten after every
// cell. Services start first and stop last. An interrupt stops the current cell (load, then
// target), or the services' start, marks the manifest interrupted and returns. Throws UserError
// when the run directory cannot be created, --resume names a run of a different matrix, or a
// service fails to start (the manifest then says failed).
RunSummary run_matrix(const Matrix& matrix, const RunOptions& options, RunControl& control,
                      RunObserver& observer);

}  // namespace benchctl
