#include "report/model/summary_table.hpp"

#include <algorithm>
#include <map>

#include "report/model/cell_grouping.hpp"
#include "report/model/report_format.hpp"

namespace benchctl {

namespace {

// A run with services shows their CPU per 1k requests too; one without has no column of dashes.
bool has_services(const std::vector<const CellReport*>& cells) {
    return std::any_of(cells.begin(), cells.end(), [](const CellReport* cell) {
        return cell->metrics && (*cell->metrics)[Metric::services_cpu_seconds];
    });
}

std::vector<SummaryColumn> columns_for(const std::vector<std::string>& axes, unsigned repeat,
                                       bool services) {
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
    if (services) {
        const Metric metric = Metric::services_cpu_seconds_per_1k;
        columns.push_back({ColumnKind::metric, describe(metric).label, true, metric});
    }
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
            return status_text(cell);
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

namespace {

// The rows a cell is compared with share the values of every axis but the first.
std::vector<std::string> comparison_group(const CellReport& cell,
                                          const std::vector<std::string>& axes) {
    std::vector<std::string> key;
    for (std::size_t i = 1; i < axes.size(); ++i) {
        const std::string* name = nullptr;
        for (const AxisValue& value : cell.parameters) {
            if (value.axis == axes[i])
                name = &value.name;
        }
        key.push_back(name != nullptr ? *name : "");
    }
    return key;
}

double rate_of(const CellReport& cell) {
    return cell.metrics ? cell.metrics->number(Metric::requests_per_sec).value_or(0) : 0;
}

}  // namespace

std::string status_text(const CellReport& cell) {
    std::string text = entry_status_name(cell.status);
    return is_suspect(cell) ? text + " (suspect)" : text;
}

std::vector<std::optional<double>> relative_speeds(const std::vector<const CellReport*>& cells,
                                                   const std::vector<std::string>& axes) {
    std::map<std::vector<std::string>, double> best;
    for (const CellReport* cell : cells) {
        double& group_best = best[comparison_group(*cell, axes)];
        group_best = std::max(group_best, rate_of(*cell));
    }
    std::vector<std::optional<double>> speeds;
    for (const CellReport* cell : cells) {
        const double group_best = best[comparison_group(*cell, axes)];
        if (cell->metrics && group_best > 0) {
            speeds.emplace_back(rate_of(*cell) / group_best);
        } else {
            speeds.emplace_back();
        }
    }
    return speeds;
}

SummaryTable build_summary_table(const std::vector<const CellReport*>& cells,
                                 const std::vector<std::string>& axes, unsigned repeat) {
    SummaryTable table{columns_for(axes, repeat, has_services(cells)), {}};
    const std::vector<std::optional<double>> speeds = relative_speeds(cells, axes);
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
