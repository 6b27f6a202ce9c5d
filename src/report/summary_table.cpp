#include "report/summary_table.hpp"

#include <algorithm>

#include "report/cell_grouping.hpp"
#include "report/report_format.hpp"

namespace benchctl {

namespace {

std::vector<SummaryColumn> columns_for(const std::vector<std::string>& axes, unsigned repeat) {
    std::vector<SummaryColumn> columns;
    for (const std::string& axis : axes)
        columns.push_back({axis, false});
    if (axes.empty())
        columns.push_back({"cell", false});
    if (repeat > 1)
        columns.push_back({"rep", true});
    columns.push_back({"status", false});
    for (const char* header : {"requests/sec", "p50", "p99", "failures", "non-2xx/3xx",
                               "CPU s / 1k req", "peak RSS", "relative"}) {
        columns.push_back({header, true});
    }
    return columns;
}

template <typename T, typename Format>
std::string or_not_measured(const std::optional<T>& value, Format format) {
    return value ? format(*value) : k_not_measured;
}

void append_metrics(std::vector<std::string>& texts, const CellReport& cell,
                    std::optional<double> relative) {
    if (!cell.metrics) {
        texts.insert(texts.end(), 8, k_not_measured);
        return;
    }
    const CellMetrics& m = *cell.metrics;
    texts.push_back(format_grouped(m.requests_per_sec, 2));
    const auto latency = [](const LatencyFigure& figure) { return format_latency_ms(figure.us()); };
    texts.push_back(or_not_measured(m.known(&LatencySummary::p50), latency));
    texts.push_back(or_not_measured(m.known(&LatencySummary::p99), latency));
    texts.push_back(format_count(m.failed));
    texts.push_back(format_count(m.non_2xx_3xx));
    texts.push_back(
        or_not_measured(m.cpu_seconds_per_1k, [](double v) { return format_grouped(v, 3); }));
    texts.push_back(or_not_measured(m.peak_rss_bytes, format_bytes));
    texts.push_back(or_not_measured(relative, format_ratio));
}

}  // namespace

std::vector<std::optional<double>> relative_speeds(const std::vector<const CellReport*>& cells) {
    double best = 0;
    for (const CellReport* cell : cells) {
        if (cell->metrics)
            best = std::max(best, cell->metrics->requests_per_sec);
    }
    std::vector<std::optional<double>> speeds;
    for (const CellReport* cell : cells) {
        if (cell->metrics && best > 0) {
            speeds.emplace_back(cell->metrics->requests_per_sec / best);
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
        for (const std::string& axis : axes)
            row.texts.push_back(axis_label(cell, axis));
        if (axes.empty())
            row.texts.push_back(cell.cell_id);
        if (repeat > 1)
            row.texts.push_back(std::to_string(cell.repetition));
        row.texts.push_back(entry_status_name(cell.status));
        append_metrics(row.texts, cell, speeds[i]);
        table.rows.push_back(std::move(row));
    }
    return table;
}

}  // namespace benchctl
