#include "report/csv_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "report/cell_grouping.hpp"
#include "report/summary_table.hpp"

namespace benchctl {

namespace {

constexpr const char* k_line_end = "\r\n";

// Columns after the axes, in order; each row fills exactly these.
const std::vector<std::string> k_figure_columns = {
    "threads",          "connections",        "stop_rule",         "duration_sec",
    "requests_started", "requests_completed", "requests_failed",   "requests_in_flight_at_stop",
    "non_2xx_3xx",      "errors_connect",     "errors_read",       "errors_write",
    "errors_timeout",   "errors_parse",       "bytes_read",        "requests_per_sec",
    "latency_min_ms",   "latency_mean_ms",    "latency_stddev_ms", "latency_p50_ms",
    "latency_p90_ms",   "latency_p95_ms",     "latency_p99_ms",    "latency_max_ms",
    "cpu_seconds",      "cpu_seconds_per_1k", "peak_rss_bytes",    "relative_speed"};

template <typename T>
std::string number(const T& value) {
    return fmt::format("{}", value);
}

template <typename T>
std::string optional_number(const std::optional<T>& value) {
    return value ? number(*value) : "";
}

std::vector<std::string> figures(const CellReport& cell, std::optional<double> relative) {
    if (!cell.metrics)
        return std::vector<std::string>(k_figure_columns.size(), "");
    const CellMetrics& m = *cell.metrics;
    const LoadSettings& s = cell.load->settings;
    const ErrorCounts& e = cell.load->result.errors;
    const auto ms = [&m](std::optional<LatencyFigure> LatencySummary::*figure) {
        const std::optional<LatencyFigure> known = m.known(figure);
        return known ? number(known->us() / 1000.0) : "";
    };
    return {number(s.threads),
            number(s.connections),
            stop_rule_name(s.stop_rule),
            number(m.duration_sec),
            number(m.started),
            number(m.completed),
            number(m.failed),
            number(m.in_flight_at_stop),
            number(m.non_2xx_3xx),
            number(e.connect),
            number(e.read),
            number(e.write),
            number(e.timeout),
            number(e.parse),
            number(m.bytes_read),
            number(m.requests_per_sec),
            ms(&LatencySummary::min),
            ms(&LatencySummary::mean),
            ms(&LatencySummary::stddev),
            ms(&LatencySummary::p50),
            ms(&LatencySummary::p90),
            ms(&LatencySummary::p95),
            ms(&LatencySummary::p99),
            ms(&LatencySummary::max),
            optional_number(m.cpu_seconds),
            optional_number(m.cpu_seconds_per_1k),
            optional_number(m.peak_rss_bytes),
            optional_number(relative)};
}

// An axis named like a fixed column gets an "axis_" prefix, so every header is unique.
std::string axis_column(const std::string& axis) {
    const bool taken = std::find(k_figure_columns.begin(), k_figure_columns.end(), axis) !=
                           k_figure_columns.end() ||
                       axis == "run_id" || axis == "cell" || axis == "repetition" ||
                       axis == "status" || axis == "failure_reason";
    return taken ? "axis_" + axis : axis;
}

std::string axis_value_name(const CellReport& cell, const std::string& axis) {
    for (const AxisValue& value : cell.parameters) {
        if (value.axis == axis)
            return value.name;
    }
    return "";
}

void append_row(std::string& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i != 0)
            out += ',';
        out += csv_field(fields[i]);
    }
    out += k_line_end;
}

}  // namespace

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string render_csv_report(const RunReport& run, const ReportOptions& options) {
    const std::vector<std::string> order = grouping_order(run.manifest.axes, options.group_by);
    std::vector<std::string> header = {"run_id", "cell", "repetition", "status"};
    for (const std::string& axis : order)
        header.push_back(axis_column(axis));
    header.insert(header.end(), k_figure_columns.begin(), k_figure_columns.end());
    header.push_back("failure_reason");
    std::string out;
    append_row(out, header);
    const std::vector<const CellReport*> cells = ordered_cells(run, order);
    const std::vector<std::optional<double>> speeds = relative_speeds(cells);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const CellReport& cell = *cells[i];
        std::vector<std::string> row = {run.manifest.run_id, cell.cell_id, number(cell.repetition),
                                        entry_status_name(cell.status)};
        for (const std::string& axis : order)
            row.push_back(axis_value_name(cell, axis));
        const std::vector<std::string> values = figures(cell, speeds[i]);
        row.insert(row.end(), values.begin(), values.end());
        row.push_back(cell.failure_reason);
        append_row(out, row);
    }
    return out;
}

}  // namespace benchctl
