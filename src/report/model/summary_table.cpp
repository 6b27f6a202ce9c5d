#include "report/model/summary_table.hpp"

#include <algorithm>

#include "report/model/cell_grouping.hpp"
#include "util/number_format.hpp"

namespace benchctl {

namespace {

std::vector<SummaryColumn> columns_for(const std::vector<std::string>& axes, unsigned repeat) {
    std::vector<SummaryColumn> columns;
    for (const std::string& axis : axes)
        columns.push_back({ColumnKind::axis, axis, false, std::nullopt});
    if (axes.empty())
        columns.push_back({ColumnKind::cell_id, "cell", false, std::nullopt});
    if (repeat > 1)
        columns.push_back({ColumnKind::repetition, "rep", true, std::nullopt});
    columns.push_back({ColumnKind::status, "status", false, std::nullopt});
    for (const Metric metric : k_summary_metrics)
        columns.push_back({ColumnKind::metric, describe(metric).label, true, metric});
    columns.push_back({ColumnKind::relative_speed, "relative", true, std::nullopt});
    return columns;
}

std::string text_of(const SummaryColumn& column, const CellReport& cell,
                    std::optional<double> relative) {
    switch (column.kind) {
        case ColumnKind::axis:
            return axis_label(cell, column.header);
        case ColumnKind::cell_id:
            return cell.cell_id;
        case ColumnKind::repetition:
            return std::to_string(cell.repetition);
        case ColumnKind::status:
            return entry_status_name(cell.status);
        case ColumnKind::metric: {
            const std::optional<double> value =
                cell.metrics ? cell.metrics->number(*column.metric) : std::nullopt;
            return value ? describe(*column.metric).format(*value) : k_not_measured;
        }
        case ColumnKind::relative_speed:
            return relative ? format_ratio(*relative) : k_not_measured;
    }
    return k_not_measured;
}

}  // namespace

std::vector<std::optional<double>> relative_speeds(const std::vector<const CellReport*>& cells) {
    double best = 0;
    for (const CellReport* cell : cells) {
        if (cell->metrics)
            best = std::max(best, cell->metrics->number(Metric::requests_per_sec).value_or(0));
    }
    std::vector<std::optional<double>> speeds;
    for (const CellReport* cell : cells) {
        if (cell->metrics && best > 0) {
            speeds.emplace_back(cell->metrics->number(Metric::requests_per_sec).value_or(0) / best);
        } else {
            speeds.emplace_back();
        }
    }
    return speeds;
}

SummaryTable build_summary_table(const std::vector<const CellReport*>& cells,
                                 const std::vector<std::string>& axes, unsigned repeat) {
    SummaryTable table{columns_for(axes, repeat), {}};
    const std::vector<std::optional<double>> speeds = relative_speeds(cells);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const CellReport& cell = *cells[i];
        SummaryRow row{&cell, speeds[i], {}};
        for (const SummaryColumn& column : table.columns)
            row.texts.push_back(text_of(column, cell, speeds[i]));
        table.rows.push_back(std::move(row));
    }
    return table;
}

}  // namespace benchctl
