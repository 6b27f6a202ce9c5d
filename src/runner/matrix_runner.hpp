#pragma once

#include <map>
#include <string>
#include <vector>

#include "matrix/matrix.hpp"
#include "results/run_manifest.hpp"
#include "runner/run_control.hpp"
#include "runner/run_environment.hpp"
#include "runner/run_observer.hpp"

namespace benchctl {

struct RunOptions {
    std::string out_dir;     // "" = results/<UTC time>-<matrix name>
    std::string resume_dir;  // continue this run: only cells not done yet
    std::string results_root = "results";
    std::vector<std::string> overrides;         // --set key=value as given, kept in the manifest
    std::vector<std::string> only;              // --only terms as given, kept in the manifest
    std::map<std::string, std::string> labels;  // --label key=value, kept in a new run's manifest
};

struct RunSummary {
    std::string run_dir;
    unsigned done = 0;
    unsigned failed = 0;
    unsigned skipped = 0;  // already done in the run being resumed
    bool interrupted = false;
    RunStatus status = RunStatus::running;  // as the manifest says at the end
    std::string failure;                    // status failed: why, and what to do
    // A cell's result could not be written (disk full, a file-size limit ...): the run stopped
    // there. `rescued` is where its document was kept instead ("" when nowhere could take it:
    // it was then printed through RunObserver::on_note).
    bool storage_failed = false;
    std::string rescued;
    // "benchctl run --resume <absolute dir>" when cells are left to run or to run again; "".
    std::string resume_command;
    unsigned thresholds_failed = 0;  // cell runs with at least one failed threshold
};

// Runs every cell of `matrix` (`repeat` times, interleaved: all cells, then all again) and keeps
// each result in the run directory as soon as the cell ends; the manifest is rewritten after every
// cell. The run directory is locked for the run's length: a second run on it is refused, naming
// the first. Services start first and stop last. An interrupt stops the current cell (load,
// then target), or the services' start, marks the manifest interrupted and returns.
//
// --resume (options.resume_dir) checks that every cell the manifest says is done still has a
// whole file (a damaged one is measured again), takes as done a cell whose whole file was
// written but not yet recorded, and runs the rest.
//
// When a cell's file cannot be written (StorageError), its document is kept elsewhere (a
// temporary directory, else printed through the observer), the manifest says failed and why, and
// the run stops: summary.storage_failed. On every other way out (an error starting a service, an
// internal error) the manifest says failed or interrupted, with the reason, before the exception
// goes on. Throws UserError when the run directory cannot be created or locked, or --resume names
// a run of a different matrix.
//
// Every side effect goes through `env` (run_environment.hpp).
RunSummary run_matrix(const Matrix& matrix, const RunOptions& options, RunEnvironment& env,
                      RunControl& control, RunObserver& observer);

// "benchctl run --resume <dir>", the directory made absolute and quoted for a POSIX shell when
// it needs to be.
std::string resume_command(const std::string& run_dir);

}  // namespace benchctl
