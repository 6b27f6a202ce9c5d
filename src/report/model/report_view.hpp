#pragma once

#include <string>
#include <vector>

#include "report/model/repeated_cell.hpp"
#include "report/model/run_report.hpp"
#include "report/model/summary_table.hpp"
#include "report/report_options.hpp"

namespace benchctl {

// What every format of one report shows of a run, decided once: the nesting order, the cells in
// report order, and the summary table, with one row per repeated cell (medians, spread, noise
// warnings) unless the run was not repeated or --per-repetition asks for one row per repetition.
// Holds pointers into the RunReport it was built from and into itself: movable, not copyable.
struct ReportView {
    std::vector<std::string> order;        // axis names, outermost first
    std::vector<const CellReport*> cells;  // every cell and repetition, in report order
    // One entry per cell id when rows are per cell (per_cell), else empty.
    std::vector<RepeatedCell> repeated;
    bool per_cell = false;
    SummaryTable table;

    ReportView() = default;
    ReportView(ReportView&&) = default;
    ReportView& operator=(ReportView&&) = default;
    ReportView(const ReportView&) = delete;
    ReportView& operator=(const ReportView&) = delete;
};

// The view of `run` that `options` ask for (group_by, per_repetition, noise_limit). Throws
// UserError naming --group-by for an unknown axis.
ReportView build_report_view(const RunReport& run, const ReportOptions& options);

}  // namespace benchctl
