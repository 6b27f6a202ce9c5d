#pragma once

#include <string>
#include <vector>

#include "trend/series_trend.hpp"

namespace benchctl {

// `history show`: each series as a block headed by its cell and figure, one line per run (run
// id, start time, commit, repetitions, median, CV) oldest first, each change point marked on the
// first run after it with its size, p-value and the commits around it.
std::string render_series_text(const std::vector<SeriesTrend>& trends);

// One line for a series whose newest change the gate flags: "regression: fast.sync requests/sec
// -19.0% from run X (commit c), median 1,234.00 -> 1,000.00, p 0.005, between ... and ...",
// with a note when the machine changed at the same run.
std::string regression_line(const SeriesTrend& trend);

// `history check`: every flagged series' line, then "N regressions in M series of FILE" (or no
// regression).
std::string render_check_text(const std::vector<SeriesTrend>& trends, const std::string& file);

// A change point's size and confidence for people: "-19.0%, p 0.005".
std::string change_size_text(const ChangePoint& change);

}  // namespace benchctl
