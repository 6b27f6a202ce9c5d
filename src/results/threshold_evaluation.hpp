#pragma once

#include <vector>

#include "metrics/threshold.hpp"
#include "results/cell_metrics.hpp"
#include "results/cell_record.hpp"

namespace benchctl {

// Each threshold checked against `metrics`, in order: passed when the figure is measured and
// the comparison holds; a figure the cell lacks fails its threshold (value absent).
std::vector<ThresholdResult> evaluate_thresholds(const std::vector<Threshold>& thresholds,
                                                 const CellMetrics& metrics);

// The same on a finished cell record: its load document and sampled resources give the
// figures. A record without a load document (the cell failed before its load) gets no results:
// the cell's failure already says what went wrong. Throws UserError when the load document
// does not read back.
std::vector<ThresholdResult> evaluate_thresholds(const std::vector<Threshold>& thresholds,
                                                 const CellRecord& record);

// How many of `results` failed.
std::size_t failed_thresholds(const std::vector<ThresholdResult>& results);

}  // namespace benchctl
