#include "report/formats/csv_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "report/model/cell_grouping.hpp"
#include "report/model/report_view.hpp"

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

// A figure at its descriptor's precision (no binary noise such as 0.31566000000000005).
std::string metric_text(const MetricDescriptor& descriptor,
                        const std::optional<MetricValue>& value) {
    return value ? machine_text(descriptor, *value) : "";
}

std::string metric_text(Metric metric, double value) {
    return machine_text(describe(metric), value);
}

// The figures of one named request, in the same columns: the settings and the figures kept per
// request; the others are empty.
std::vector<std::string> request_figures(const CellReport& cell, const RequestMetrics& request) {
    const LoadSettings& s = cell.load->settings;
    std::vector<std::string> values = {number(s.threads), number(s.connections),
                                       stop_rule_name(s.stop_rule)};
    for (const MetricDescriptor& descriptor : metric_descriptors())
        values.push_back(metric_text(descriptor, request.metrics[descriptor.metric]));
    values.push_back("");
    return values;
}

// The figure columns of one row: the load settings of `settings_from`, then `metrics`.
std::vector<std::string> figures(const CellReport& settings_from, const CellMetrics* metrics,
                                 std::optional<double> relative) {
    if (metrics == nullptr || !settings_from.load)
        return std::vector<std::string>(figure_columns().size(), "");
    const LoadSettings& s = settings_from.load->settings;
    std::vector<std::string> values = {number(s.threads), number(s.connections),
                                       stop_rule_name(s.stop_rule)};
    for (const MetricDescriptor& descriptor : metric_descriptors())
        values.push_back(metric_text(descriptor, (*metrics)[descriptor.metric]));
    values.push_back(relative ? fmt::format("{:.4f}", *relative) : "");
    return values;
}

// Per repeated cell: each figure of k_repetition_metrics's spread, after the medians.
constexpr const char* k_spread_suffixes[] = {"_min", "_max", "_ci_low", "_ci_high", "_cv"};

std::vector<std::string> spread_columns() {
    std::vector<std::string> columns;
    for (const Metric metric : k_repetition_metrics) {
        for (const char* suffix : k_spread_suffixes)
            columns.push_back(std::string(describe(metric).name) + suffix);
    }
    return columns;
}

std::vector<std::string> spread_values(const RepeatedCell& cell) {
    std::vector<std::string> values;
    for (const Metric metric : k_repetition_metrics) {
        const std::optional<RepetitionSummary>& s = cell.statistics_of(metric);
        if (!s) {
            values.insert(values.end(), std::size(k_spread_suffixes), "");
            continue;
        }
        values.push_back(metric_text(metric, s->min));
        values.push_back(metric_text(metric, s->max));
        if (const MedianInterval* ci = s->median_ci ? &*s->median_ci : nullptr) {
            values.push_back(metric_text(metric, ci->low));
            values.push_back(metric_text(metric, ci->high));
        } else {
            values.insert(values.end(), 2, "");
        }
        values.push_back(s->cv ? fmt::format("{:.4f}", *s->cv) : "");
    }
    return values;
}

// How many of the row's threshold checks failed; empty when it has none.
std::string thresholds_failed(const SummaryRow& row) {
    const std::vector<RowThreshold> verdicts = row_thresholds(row);
    if (verdicts.empty())
        return "";
    return number(std::count_if(verdicts.begin(), verdicts.end(),
                                [](const RowThreshold& v) { return !v.result->passed; }));
}

// The row's warning codes ("ramp;noisy"), then their messages ("suspect ramp: ... | ..."), one
// column each.
std::vector<std::string> warning_fields(const std::vector<CellWarning>& warnings) {
    std::vector<std::string> codes;
    std::vector<std::string> messages;
    for (const CellWarning& warning : warnings) {
        codes.push_back(warning.code);
        messages.push_back(fmt::format("{} {}: {}", warning_severity_name(warning.severity),
                                       warning.code, warning.message));
    }
    return {fmt::format("{}", fmt::join(codes, ";")),
            fmt::format("{}", fmt::join(messages, " | "))};
}

// The columns every row ends with.
const std::vector<std::string> k_closing_columns = {"thresholds_failed", "failure_reason",
                                                    "warnings", "warning_messages"};

std::vector<std::string> closing_fields(const SummaryRow& row, const std::string& reason) {
    std::vector<std::string> fields = {thresholds_failed(row), reason};
    const std::vector<std::string> warnings = warning_fields(row.warnings);
    fields.insert(fields.end(), warnings.begin(), warnings.end());
    return fields;
}

// A repeated cell's first failure reason, for its one row.
std::string first_reason(const RepeatedCell& cell) {
    for (const CellReport* repetition : cell.repetitions) {
        if (!repetition->failure_reason.empty())
            return repetition->failure_reason;
    }
    return "";
}

// The first repetition with a load document gives a repeated cell's settings.
const CellReport& settings_source(const RepeatedCell& cell) {
    for (const CellReport* repetition : cell.repetitions) {
        if (repetition->load)
            return *repetition;
    }
    return *cell.repetitions.front();
}

// An axis named like a fixed column gets an "axis_" prefix, so every header is unique.
std::string axis_column(const std::string& axis) {
    const std::vector<std::string> fixed = figure_columns();
    const bool taken = std::find(fixed.begin(), fixed.end(), axis) != fixed.end() ||
                       axis == "run_id" || axis == "cell" || axis == "repetition" ||
                       axis == "status" || axis == "request" || axis == "failure_reason" ||
                       axis == "warnings" || axis == "warning_messages" ||
                       axis == "thresholds_failed" || axis == "repetitions" || axis == "measured";
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

// One row per repeated cell: the medians under the per-repetition columns' names (so scripts
// keep reading "requests_per_sec"), then each figure's spread, its warnings and first reason.
std::string render_repeated_csv(const RunReport& run, const ReportView& view) {
    std::vector<std::string> header = {"run_id", "cell", "repetitions", "measured", "status"};
    for (const std::string& axis : view.order)
        header.push_back(axis_column(axis));
    const std::vector<std::string> columns = figure_columns();
    header.insert(header.end(), columns.begin(), columns.end());
    const std::vector<std::string> spreads = spread_columns();
    header.insert(header.end(), spreads.begin(), spreads.end());
    header.insert(header.end(), k_closing_columns.begin(), k_closing_columns.end());
    std::string out;
    append_row(out, header);
    for (const SummaryRow& summary : view.table.rows) {
        const RepeatedCell& cell = *summary.repeated;
        std::vector<std::string> row = {run.manifest.run_id, cell.cell_id,
                                        number(cell.repetitions.size()), number(cell.measured),
                                        entry_status_name(cell.status)};
        for (const std::string& axis : view.order)
            row.push_back(axis_value_name(*summary.cell, axis));
        const std::vector<std::string> values =
            figures(settings_source(cell), summary.metrics(), summary.relative_speed);
        row.insert(row.end(), values.begin(), values.end());
        const std::vector<std::string> spread = spread_values(cell);
        row.insert(row.end(), spread.begin(), spread.end());
        const std::vector<std::string> closing = closing_fields(summary, first_reason(cell));
        row.insert(row.end(), closing.begin(), closing.end());
        append_row(out, row);
    }
    return out;
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
    const ReportView view = build_report_view(run, options);
    if (view.per_cell)
        return render_repeated_csv(run, view);
    const std::vector<std::string>& order = view.order;
    std::vector<std::string> header = {"run_id", "cell", "repetition", "status", "request"};
    for (const std::string& axis : order)
        header.push_back(axis_column(axis));
    const std::vector<std::string> columns = figure_columns();
    header.insert(header.end(), columns.begin(), columns.end());
    header.insert(header.end(), k_closing_columns.begin(), k_closing_columns.end());
    std::string out;
    append_row(out, header);
    for (const SummaryRow& summary : view.table.rows) {
        const CellReport& cell = *summary.cell;
        std::vector<std::string> row = {run.manifest.run_id, cell.cell_id, number(cell.repetition),
                                        entry_status_name(cell.status), ""};
        for (const std::string& axis : order)
            row.push_back(axis_value_name(cell, axis));
        const std::size_t prefix = row.size();
        const std::vector<std::string> values =
            figures(cell, summary.metrics(), summary.relative_speed);
        row.insert(row.end(), values.begin(), values.end());
        const std::vector<std::string> closing = closing_fields(summary, cell.failure_reason);
        row.insert(row.end(), closing.begin(), closing.end());
        append_row(out, row);
        if (!cell.load)
            continue;
        for (const RequestMetrics& request : compute_request_metrics(*cell.load)) {
            row.resize(prefix);
            row[4] = request.name;
            const std::vector<std::string> named = request_figures(cell, request);
            row.insert(row.end(), named.begin(), named.end());
            row.insert(row.end(), k_closing_columns.size(), "");
            append_row(out, row);
        }
    }
    return out;
}

}  // namespace benchctl
