#pragma once

#include <optional>
#include <string>
#include <vector>

#include "matrix/matrix.hpp"
#include "results/cell_metrics.hpp"
#include "results/cell_record.hpp"
#include "results/cell_warning.hpp"
#include "results/load_document.hpp"
#include "results/run_manifest.hpp"

namespace benchctl {

// One row of a run: a manifest entry with, when it was written, its cell document. `status` is
// the record's or, without a record, the manifest's (pending for a cell an interrupted run never
// reached).
struct CellReport {
    std::string cell_id;
    unsigned repetition = 1;
    EntryStatus status = EntryStatus::pending;
    std::vector<AxisValue> parameters;   // one per axis, in manifest axis order
    std::optional<CellRecord> record;    // absent: the cell was never written
    std::optional<LoadDocument> load;    // absent: no load document (failed before load)
    std::optional<CellMetrics> metrics;  // present exactly when `load` is
    std::string file;                    // "cells/<id>.json", or "" without a record
    std::string failure_reason;          // record's reason, else the manifest entry's
    // Why not to take the figures at face value: the one list every format shows. read_run
    // fills it with what the runner recorded in the cell document; report-computed warnings
    // (repetitions that disagree: "noisy") are appended to it by the report model.
    std::vector<CellWarning> warnings;
};

// Whether any of the cell's warnings is of severity suspect.
bool is_suspect(const CellReport& cell);

// A whole run directory as reports see it: the manifest and every cell in manifest order. A
// manifest that says running while no process holds the run's lock reads as
// RunStatus::abandoned.
struct RunReport {
    std::string directory;  // as given
    RunManifest manifest;
    unsigned repeat = 1;  // the highest repetition number seen
    std::vector<CellReport> cells;

    // The run's heading: the matrix title, else its name, else the run id.
    std::string title() const;
};

}  // namespace benchctl
