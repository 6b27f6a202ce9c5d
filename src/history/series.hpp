#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "history/history_run.hpp"

namespace benchctl {

// One run's figures for one cell and metric.
struct SeriesPoint {
    std::string run_id;
    std::chrono::sys_seconds started_at{};
    std::map<std::string, std::string> labels;
    MachineFingerprint machine;
    std::vector<double> samples;  // the repetitions, in run order (never empty)
    double median = 0;            // of the samples
};

// The history of one cell and metric, oldest run first (by start time, then run id).
struct Series {
    std::string cell_id;
    std::string metric;
    std::vector<SeriesPoint> points;

    // The points' medians in order: what change points are found on.
    std::vector<double> medians() const;
};

// Which series to read: shell-style globs (*, ?, [abc]; case-sensitive) on the cell id and the
// metric name.
struct SeriesQuery {
    std::string cell_glob = "*";
    std::string metric_glob = "*";
};

}  // namespace benchctl
