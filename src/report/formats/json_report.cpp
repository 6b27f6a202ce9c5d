#include "report/formats/json_report.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "report/formats/gunicorn_bench_report.hpp"
#include "report/model/report_view.hpp"
#include "results/axis_json.hpp"
#include "util/json_optional.hpp"

namespace benchctl {

namespace {

using nlohmann::json;

json run_json(const RunReport& run) {
    const RunManifest& m = run.manifest;
    return {{"id", m.run_id},
            {"title", run.title()},
            {"status", run_status_name(m.status)},
            {"matrix",
             {{"path", m.matrix_path},
              {"sha256", m.matrix_sha256},
              {"name", m.matrix_name},
              {"overrides", m.overrides}}},
            {"axes", axes_json(m.axes, WithFields::no)},
            {"host", to_json(m.host)},
            {"benchctl", {{"version", m.benchctl_version}, {"git_revision", m.benchctl_revision}}},
            {"tool_versions", m.tool_versions},
            {"labels", m.labels},
            {"started_at", m.started_at},
            {"ended_at", m.ended_at},
            {"repeat", run.repeat}};
}

template <typename Json>
Json metric_json(const std::optional<MetricValue>& value) {
    if (!value)
        return nullptr;
    return std::visit([](auto exact) { return Json(exact); }, *value);
}

// Puts `value` at a dotted path ("requests.started") of `object`.
void put(json& object, const std::string& path, json value) {
    const std::size_t dot = path.find('.');
    if (dot == std::string::npos) {
        object[path] = std::move(value);
        return;
    }
    put(object[path.substr(0, dot)], path.substr(dot + 1), std::move(value));
}

// A group whose figures are all unknown (latency without a completed request) is null.
void null_empty_groups(json& figures) {
    for (auto& [key, value] : figures.items()) {
        if (value.is_object() &&
            std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_null(); })) {
            value = nullptr;
        }
    }
}

// The figures of a row: `metrics` (a repetition's, or a repeated cell's medians) with the load
// settings of `settings_from`.
json figures_json(const CellReport& settings_from, const CellMetrics* metrics) {
    if (metrics == nullptr || !settings_from.load)
        return nullptr;
    const LoadSettings& s = settings_from.load->settings;
    json figures = {{"threads", s.threads},
                    {"connections", s.connections},
                    {"stop_rule", stop_rule_name(s.stop_rule)}};
    for (const MetricDescriptor& descriptor : metric_descriptors()) {
        const std::optional<MetricValue>& value = (*metrics)[descriptor.metric];
        put(figures, descriptor.json_path,
            metric_json<json>(value ? std::optional(rounded(descriptor, *value)) : value));
    }
    null_empty_groups(figures);
    return figures;
}

json warnings_json(const std::vector<CellWarning>& warnings) {
    json list = json::array();
    for (const CellWarning& warning : warnings) {
        list.push_back({{"code", warning.code},
                        {"severity", warning_severity_name(warning.severity)},
                        {"message", warning.message}});
    }
    return list;
}

// Each threshold verdict of the row (every repetition's for a repeated cell).
json thresholds_json(const SummaryRow& row) {
    json list = json::array();
    for (const RowThreshold& verdict : row_thresholds(row)) {
        const ThresholdResult& result = *verdict.result;
        list.push_back({{"repetition", verdict.repetition},
                        {"metric", result.metric},
                        {"expression", result.expression},
                        {"value", or_null(result.value)},
                        {"passed", result.passed}});
    }
    return list;
}

// A mix's entries or a sequence's steps, each with its figures (those kept per request) and its
// statuses; null for a cell that sent one request.
json by_request_json(const CellReport& cell) {
    if (!cell.load || cell.load->result.by_name.empty())
        return nullptr;
    json requests = json::array();
    for (const RequestMetrics& request : compute_request_metrics(*cell.load)) {
        json figures = json::object();
        for (const MetricDescriptor& descriptor : metric_descriptors()) {
            if (request.metrics[descriptor.metric])
                put(figures, descriptor.json_path,
                    metric_json<json>(request.metrics[descriptor.metric]));
        }
        json statuses = json::object();
        for (const auto& [status, count] : request.status_codes)
            statuses[std::to_string(status)] = count;
        figures["status_codes"] = statuses;
        requests.push_back({{"name", request.name}, {"figures", figures}});
    }
    return requests;
}

json row_json(const SummaryRow& row) {
    const CellReport& cell = *row.cell;
    json parameters = json::object();
    json labels = json::object();
    for (const AxisValue& value : cell.parameters) {
        parameters[value.axis] = value.name;
        labels[value.axis] = value.label.empty() ? value.name : value.label;
    }
    return {
        {"cell", cell.cell_id},
        {"repetition", cell.repetition},
        {"status", entry_status_name(cell.status)},
        {"file", cell.file},
        {"failure_reason", cell.failure_reason.empty() ? json(nullptr) : json(cell.failure_reason)},
        {"parameters", parameters},
        {"labels", labels},
        {"figures", figures_json(cell, row.metrics())},
        {"by_request", by_request_json(cell)},
        {"relative_speed",
         row.relative_speed ? json(std::round(*row.relative_speed * 1e4) / 1e4) : json(nullptr)},
        {"thresholds", thresholds_json(row)},
        {"warnings", warnings_json(row.warnings)}};
}

json statistics_json(const RepetitionSummary& s) {
    json ci = nullptr;
    if (s.median_ci) {
        ci = {{"low", s.median_ci->low},
              {"high", s.median_ci->high},
              {"coverage", s.median_ci->coverage}};
    }
    return {{"count", s.count}, {"median", s.median}, {"min", s.min},        {"max", s.max},
            {"mean", s.mean},   {"stddev", s.stddev}, {"cv", or_null(s.cv)}, {"median_ci", ci}};
}

// One repeated cell: its first repetition's identity, the medians as "figures", every
// repetition's file and status, and each figure of k_repetition_metrics with its samples.
json repeated_row_json(const SummaryRow& row) {
    const RepeatedCell& cell = *row.repeated;
    json out = row_json(row);
    out.erase("repetition");
    out.erase("file");
    out["status"] = entry_status_name(cell.status);
    json repetitions = json::array();
    for (const CellReport* repetition : cell.repetitions) {
        repetitions.push_back({{"repetition", repetition->repetition},
                               {"status", entry_status_name(repetition->status)},
                               {"file", repetition->file}});
    }
    json statistics = json::object();
    for (const Metric metric : k_repetition_metrics) {
        if (const std::optional<RepetitionSummary>& s = cell.statistics_of(metric)) {
            json entry = statistics_json(*s);
            entry["samples"] = cell.samples_of(metric);
            statistics[describe(metric).name] = entry;
        }
    }
    out["repetitions"] = repetitions;
    out["measured"] = cell.measured;
    out["statistics"] = statistics;
    return out;
}

}  // namespace

json report_json(const RunReport& run, const ReportOptions& options) {
    const ReportView view = build_report_view(run, options);
    json rows = json::array();
    for (const SummaryRow& row : view.table.rows)
        rows.push_back(view.per_cell ? repeated_row_json(row) : row_json(row));
    json doc = {{"schema", k_report_schema}, {"run", run_json(run)}, {"rows", rows}};
    doc["run"]["rows_per"] = view.per_cell ? "cell" : "repetition";
    doc["run"]["noise_limit"] = options.noise_limit;
    return doc;
}

std::string render_json_report(const RunReport& run, const ReportOptions& options) {
    if (options.style == ReportStyle::gunicorn_bench)
        return render_gunicorn_bench_report(run, options);
    return report_json(run, options).dump(2) + "\n";
}

}  // namespace benchctl
