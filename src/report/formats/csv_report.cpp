#include "report/formats/csv_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "report/model/cell_grouping.hpp"
#include "report/model/summary_table.hpp"

namespace benchctl {

namespace {

constexpr const char* k_line_end = "\r\n";

// The load settings each row names before its figures.
const std::vector<std::string> k_setting_columns = {"threads", "connections", "stop_rule"};
constexpr const char* k_relative_column = "relative_speed";

// Columns after the axes, in order; each row fills exactly these.
std::vector<std::string> figure_columns() {
    std::vector<std::string> columns = k_setting_columns;
    for (const MetricDescriptor& descriptor : metric_descriptors())
        columns.emplace_back(descriptor.name);
    columns.emplace_back(k_relative_column);
    return columns;
}

template <typename T>
std::string number(const T& value) {
    return fmt::format("{}", value);
}

std::string metric_text(const std::optional<MetricValue>& value) {
    if (!value)
        return "";
    return std::visit([](auto exact) { return number(exact); }, *value);
}

// The figures of one named request, in the same columns: the settings and the figures kept per
// request; the others are empty.
std::vector<std::string> request_figures(const CellReport& cell, const RequestMetrics& request) {
    const LoadSettings& s = cell.load->settings;
    std::vector<std::string> values = {number(s.threads), number(s.connections),
                                       stop_rule_name(s.stop_rule)};
    for (const MetricDescriptor& descriptor : metric_descriptors())
        values.push_back(metric_text(request.metrics[descriptor.metric]));
    values.push_back("");
    return values;
}

std::vector<std::string> figures(const CellReport& cell, std::optional<double> relative) {
    if (!cell.metrics)
        return std::vector<std::string>(figure_columns().size(), "");
    const LoadSettings& s = cell.load->settings;
    std::vector<std::string> values = {number(s.threads), number(s.connections),
                                       stop_rule_name(s.stop_rule)};
    for (const MetricDescriptor& descriptor : metric_descriptors())
        values.push_back(metric_text((*cell.metrics)[descriptor.metric]));
    values.push_back(relative ? number(*relative) : "");
    return values;
}

// An axis named like a fixed column gets an "axis_" prefix, so every header is unique.
std::string axis_column(const std::string& axis) {
    const std::vector<std::string> fixed = figure_columns();
    const bool taken = std::find(fixed.begin(), fixed.end(), axis) != fixed.end() ||
                       axis == "run_id" || axis == "cell" || axis == "repetition" ||
                       axis == "status" || axis == "request" || axis == "failure_reason";
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
    std::vector<std::string> header = {"run_id", "cell", "repetition", "status", "request"};
    for (const std::string& axis : order)
        header.push_back(axis_column(axis));
    const std::vector<std::string> columns = figure_columns();
    header.insert(header.end(), columns.begin(), columns.end());
    header.push_back("failure_reason");
    std::string out;
    append_row(out, header);
    const std::vector<const CellReport*> cells = ordered_cells(run, order);
    const std::vector<std::optional<double>> speeds = relative_speeds(cells);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const CellReport& cell = *cells[i];
        std::vector<std::string> row = {run.manifest.run_id, cell.cell_id, number(cell.repetition),
                                        entry_status_name(cell.status), ""};
        for (const std::string& axis : order)
            row.push_back(axis_value_name(cell, axis));
        const std::size_t prefix = row.size();
        const std::vector<std::string> values = figures(cell, speeds[i]);
        row.insert(row.end(), values.begin(), values.end());
        row.push_back(cell.failure_reason);
        append_row(out, row);
        if (!cell.load)
            continue;
        for (const RequestMetrics& request : compute_request_metrics(*cell.load)) {
            row.resize(prefix);
            row[4] = request.name;
            const std::vector<std::string> named = request_figures(cell, request);
            row.insert(row.end(), named.begin(), named.end());
            row.push_back("");
            append_row(out, row);
        }
    }
    return out;
}

}  // namespace benchctl
