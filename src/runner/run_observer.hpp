#pragma once

#include <cstdint>
#include <string>

#include "results/cell_record.hpp"

namespace benchctl {

// Where a run reports its progress; the CLI prints it (a live line on a terminal, plain lines
// otherwise, nothing with --quiet). Called from the runner's thread only.
class RunObserver {
  public:
    virtual ~RunObserver() = default;
    // The run directory exists; `total` cell executions are planned, `skipped` of them already
    // done (--resume).
    virtual void on_run_start(const std::string& run_dir, unsigned total, unsigned skipped) = 0;
    // Cell `index` (1-based, of `total`) begins.
    virtual void on_cell_start(unsigned index, unsigned total, const std::string& cell_label) = 0;
    // About twice a second while the cell's load runs.
    virtual void on_cell_progress(double elapsed_sec, double planned_sec, std::uint64_t completed,
                                  double requests_per_sec, std::uint64_t failed) = 0;
    // The cell ended and its file is written.
    virtual void on_cell_end(unsigned index, unsigned total, const CellRecord& record) = 0;
    // A message for the user (a service started, a stop in progress ...).
    virtual void on_note(const std::string& text) = 0;
};

}  // namespace benchctl
