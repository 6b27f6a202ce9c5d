#include "report/formats/html_report.hpp"

#include <fmt/format.h>

#include <optional>

#include "report/model/cell_grouping.hpp"
#include "report/model/report_view.hpp"
#include "report/svg/svg_run_charts.hpp"
#include "report/templates/report_context.hpp"

namespace benchctl {

namespace {

// The raw number behind a column's text, for sorting; absent where the text is not a number.
std::optional<double> sort_key(const SummaryColumn& column, const SummaryRow& row) {
    switch (column.kind) {
        case ColumnKind::repetition:
            return row.cell->repetition;
        case ColumnKind::repetitions:
            return static_cast<double>(row.repeated->measured);
        case ColumnKind::metric:
            return row.metrics() != nullptr ? row.metrics()->number(*column.metric) : std::nullopt;
        case ColumnKind::spread_cv: {
            const auto& rate = row.repeated->statistics_of(Metric::requests_per_sec);
            return rate ? rate->cv : std::nullopt;
        }
        case ColumnKind::spread_ci: {
            const auto& rate = row.repeated->statistics_of(Metric::requests_per_sec);
            return rate && rate->median_ci ? std::optional<double>(rate->median_ci->low)
                                           : std::nullopt;
        }
        case ColumnKind::relative_speed:
            return row.relative_speed;
        case ColumnKind::axis:
        case ColumnKind::cell_id:
        case ColumnKind::status:
        case ColumnKind::thresholds:
        case ColumnKind::warnings:
            break;
    }
    return std::nullopt;
}

// A warnings cell's tooltip: each warning's message, one per line.
std::string warning_title(const std::vector<CellWarning>& warnings) {
    std::string title;
    for (const CellWarning& warning : warnings)
        title += (title.empty() ? "" : "\n") + warning.code + ": " + warning.message;
    return title;
}

// The summary rows as report_context builds them, each cell with `sort` (the raw number) where
// it has one, and `status` for a row class.
mstch::array html_summary_rows(const SummaryTable& table) {
    mstch::array rows;
    for (const SummaryRow& row : table.rows) {
        mstch::array cells;
        for (std::size_t i = 0; i < row.texts.size(); ++i) {
            mstch::map cell{{"text", row.texts[i]}, {"numeric", table.columns[i].numeric}};
            if (const std::optional<double> key = sort_key(table.columns[i], row))
                cell["sort"] = fmt::format("{}", *key);
            if (table.columns[i].kind == ColumnKind::warnings && !row.warnings.empty())
                cell["warning_title"] = warning_title(row.warnings);
            cells.push_back(cell);
        }
        std::string status = entry_status_name(row.status());
        const bool suspect =
            std::any_of(row.warnings.begin(), row.warnings.end(), [](const CellWarning& warning) {
                return warning.severity == WarningSeverity::suspect;
            });
        if (suspect)
            status += " suspect";
        rows.push_back(mstch::map{{"cell", row.cell->cell_id},
                                  {"status", status},
                                  {"warned", !row.warnings.empty()},
                                  {"cells", cells}});
    }
    return rows;
}

mstch::array charts_context(const std::vector<RunChart>& charts) {
    mstch::array entries;
    for (const RunChart& chart : charts)
        entries.push_back(mstch::map{{"heading", chart.heading}, {"svg", chart.svg}});
    return entries;
}

// Cells the charts leave out for want of a load document, with their status.
mstch::array unmeasured_cells(const std::vector<const CellReport*>& cells) {
    mstch::array entries;
    for (const CellReport* cell : cells) {
        if (cell->load)
            continue;
        mstch::map entry{{"cell", cell->cell_id},
                         {"status", std::string(entry_status_name(cell->status))}};
        if (cell->repetition > 1)
            entry["repetition"] = std::to_string(cell->repetition);
        entries.push_back(entry);
    }
    return entries;
}

// One table per cell that sent named requests (a mix or a sequence).
mstch::array request_tables(const std::vector<const CellReport*>& cells) {
    mstch::array tables;
    for (const CellReport* cell : cells) {
        mstch::map table =
            request_table_context(*cell, [](const std::string& text) { return text; });
        if (table.empty())
            continue;
        table["cell"] = cell->cell_id;
        if (cell->repetition > 1)
            table["repetition"] = std::to_string(cell->repetition);
        tables.push_back(table);
    }
    return tables;
}

}  // namespace

std::string render_html_report(const RunReport& run, const ReportOptions& options,
                               const TemplateSet& templates) {
    const ReportView view = build_report_view(run, options);
    const std::vector<std::string>& order = view.order;
    const std::vector<const CellReport*>& cells = view.cells;
    // Values go in unescaped: the template's {{ }} escape them for HTML.
    mstch::map context =
        build_report_context(run, view.table, [](const std::string& text) { return text; });
    context["summary_rows"] = html_summary_rows(view.table);
    const RunCharts charts = build_run_charts(cells, view.repeated, order, run.repeat);
    context["throughput_charts"] = charts_context(charts.throughput);
    context["latency_charts"] = charts_context(charts.latency);
    context["timeline_charts"] = charts_context(charts.timeline);
    context["has_throughput"] = !charts.throughput.empty();
    context["has_latency"] = !charts.latency.empty();
    context["has_timeline"] = !charts.timeline.empty();
    const mstch::array unmeasured = unmeasured_cells(cells);
    context["has_unmeasured"] = !unmeasured.empty();
    context["unmeasured"] = unmeasured;
    context["first_axis"] = order.empty() ? std::string("cell") : order[0];
    const mstch::array requests = request_tables(cells);
    context["has_requests"] = !requests.empty();
    context["request_tables"] = requests;
    return render_template(templates, "html", context, TemplateEscape::html);
}

}  // namespace benchctl
