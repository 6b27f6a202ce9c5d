#include "report/model/report_view.hpp"

#include "report/model/cell_grouping.hpp"

namespace benchctl {

ReportView build_report_view(const RunReport& run, const ReportOptions& options) {
    ReportView view;
    view.order = grouping_order(run.manifest.axes, options.group_by);
    view.cells = ordered_cells(run, view.order);
    view.per_cell = run.repeat > 1 && !options.per_repetition;
    if (view.per_cell) {
        view.repeated = group_repetitions(view.cells, options.noise_limit);
        view.table = build_repeated_summary_table(view.repeated, view.order);
    } else {
        view.table = build_summary_table(view.cells, view.order, run.repeat);
    }
    return view;
}

}  // namespace benchctl
