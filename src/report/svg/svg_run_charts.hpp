#pragma once

#include <string>
#include <vector>

#include "report/model/repeated_cell.hpp"
#include "report/model/run_report.hpp"

namespace benchctl {

// One rendered chart of a run: its heading and its inline <svg> (escaped, ready to embed).
struct RunChart {
    std::string heading;  // unescaped
    std::string svg;
};

// The charts of the HTML report, for `cells` in report order (ordered_cells) grouped by the
// first axis of `order` (each cell its own group when there are no axes); within a group the
// series are the remaining axes' labels joined by " / " (with the repetition when `repeat` > 1).
// Only cells with a load document are drawn; the others leave a gap.
struct RunCharts {
    std::vector<RunChart> throughput;  // one grouped bar chart of requests/sec; none without data
    std::vector<RunChart> latency;     // a percentile chart per group holding a measured cell
    std::vector<RunChart> timeline;    // a per-second timeline per group holding a timeline
};

// With `repeated` (one entry per cell, report shown per cell), the throughput chart has one bar
// per cell, its median, with each measured repetition as a dot beside it; the latency and
// timeline charts keep one line per repetition.
RunCharts build_run_charts(const std::vector<const CellReport*>& cells,
                           const std::vector<RepeatedCell>& repeated,
                           const std::vector<std::string>& order, unsigned repeat);

}  // namespace benchctl
