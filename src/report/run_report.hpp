#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "matrix/matrix.hpp"
#include "results/cell_record.hpp"
#include "results/load_document.hpp"
#include "results/run_manifest.hpp"

namespace benchctl {

// What a report shows of one executed (or planned) cell, derived from its files alone. Every
// figure is present only when the cell's files hold what it is computed from: a cell that failed
// before its load has no metrics, not zeros.
struct CellMetrics {
    double duration_sec = 0;
    std::uint64_t started = 0;
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;  // socket, timeout and parse errors (errors.total())
    std::uint64_t in_flight_at_stop = 0;
    std::uint64_t non_2xx_3xx = 0;  // completed responses with a status outside 200..399
    std::uint64_t bytes_read = 0;
    double requests_per_sec = 0;  // the load summary's
    // Latency of completed requests, the load summary's (from the histogram: exact min, max,
    // mean and stddev, percentiles to its 3 significant digits; or as a source recorded them).
    LatencySummary latency;
    // A latency figure when it is known: the summary has it and it summarises a request at least.
    std::optional<LatencyFigure> known(std::optional<LatencyFigure> LatencySummary::*figure) const {
        return latency.count > 0 ? latency.*figure : std::nullopt;
    }
    // From the target's sampled resources; absent when the cell has none.
    std::optional<double> cpu_seconds;
    std::optional<double>
        cpu_seconds_per_1k;  // cpu_seconds / completed * 1000; needs completed > 0
    std::optional<std::uint64_t> peak_rss_bytes;
};

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
};

// A whole run directory as reports see it: the manifest and every cell in manifest order.
struct RunReport {
    std::string directory;  // as given
    RunManifest manifest;
    unsigned repeat = 1;  // the highest repetition number seen
    std::vector<CellReport> cells;

    // The run's heading: the matrix title, else its name, else the run id.
    std::string title() const;
};

}  // namespace benchctl
