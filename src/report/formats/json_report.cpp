#include "report/formats/json_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "report/model/cell_grouping.hpp"
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

// Source 001 is read by people too: keep its key order (ordered_json) rather than sorted keys.
using ordered = nlohmann::ordered_json;

// A figure the cell's source recorded in source 001's shape (config, errors), kept verbatim.
std::optional<ordered> source_figure(const CellReport& cell, const char* key) {
    if (!cell.load)
        return std::nullopt;
    const json& figures = cell.load->summary.source_figures;
    const auto found = figures.find(key);
    if (found == figures.end())
        return std::nullopt;
    return ordered::parse(found->dump());
}

ordered gunicorn_config(const CellReport& cell) {
    if (std::optional<ordered> config = source_figure(cell, "config"))
        return *config;
    ordered config = ordered::object();
    for (const AxisValue& value : cell.parameters)
        config[value.axis] = value.name;
    if (!cell.load)
        return config;
    const LoadSettings& s = cell.load->settings;
    config["threads"] = s.threads;
    config["connections"] = s.connections;
    config["concurrency"] = s.connections;
    switch (s.stop_rule) {
        case StopRule::duration:
            config["duration_sec"] = std::chrono::duration<double>(s.duration).count();
            break;
        case StopRule::requests:
            config["requests"] = s.total_requests;
            break;
        case StopRule::iterations:
            config["iterations"] = s.iterations;
            break;
    }
    if (s.rate_per_sec)
        config["rate_per_sec"] = *s.rate_per_sec;
    return config;
}

// Why requests were not successful, one string per reason, as source 001's "errors" list.
ordered gunicorn_errors(const LoadResult& result) {
    ordered errors = ordered::array();
    const ErrorCounts& e = result.errors;
    const std::pair<const char*, std::uint64_t> kinds[] = {{"connect", e.connect},
                                                           {"read", e.read},
                                                           {"write", e.write},
                                                           {"timeout", e.timeout},
                                                           {"parse", e.parse}};
    for (const auto& [kind, count] : kinds) {
        if (count != 0)
            errors.push_back(fmt::format("{} errors: {}", kind, count));
    }
    for (const auto& [status, count] : result.status_codes) {
        if (status < 200 || status > 399)
            errors.push_back(fmt::format("HTTP {}: {}", status, count));
    }
    if (result.requests.in_flight_at_stop != 0) {
        errors.push_back(
            fmt::format("in flight at stop (not counted): {}", result.requests.in_flight_at_stop));
    }
    return errors;
}

// Latency in source 001's keys and order: milliseconds as the summary holds them, so figures
// a source recorded come back bit for bit.
ordered gunicorn_latency(const CellMetrics& m) {
    constexpr std::pair<const char*, Metric> k_keys[] = {
        {"min", Metric::latency_min_ms},   {"max", Metric::latency_max_ms},
        {"mean", Metric::latency_mean_ms}, {"stddev", Metric::latency_stddev_ms},
        {"p50", Metric::latency_p50_ms},   {"p95", Metric::latency_p95_ms},
        {"p99", Metric::latency_p99_ms}};
    ordered latency = ordered::object();
    bool any = false;
    for (const auto& [key, metric] : k_keys) {
        latency[key] = metric_json<ordered>(m[metric]);
        any = any || m[metric].has_value();
    }
    return any ? latency : ordered(nullptr);
}

ordered gunicorn_result(const CellReport& cell, unsigned repeat) {
    const std::string scenario =
        repeat > 1 ? fmt::format("{}.rep{}", cell.cell_id, cell.repetition) : cell.cell_id;
    ordered out = {{"scenario", scenario}, {"config", gunicorn_config(cell)}};
    if (!cell.metrics) {
        std::string reason = fmt::format("cell {} before its load", entry_status_name(cell.status));
        if (!cell.failure_reason.empty())
            reason += ": " + cell.failure_reason;
        for (const char* key : {"total_requests", "successful", "failed"})
            out[key] = nullptr;
        out["errors"] = ordered::array({reason});
        for (const char* key : {"duration_sec", "requests_per_sec", "latency_ms"})
            out[key] = nullptr;
        return out;
    }
    const CellMetrics& m = *cell.metrics;
    const std::uint64_t non_2xx_3xx = m.count(Metric::non_2xx_3xx);
    const std::uint64_t successful = m.count(Metric::requests_completed) - non_2xx_3xx;
    const std::uint64_t failed = m.count(Metric::requests_failed) + non_2xx_3xx;
    out["total_requests"] = successful + failed;
    out["successful"] = successful;
    out["failed"] = failed;
    const std::optional<ordered> errors = source_figure(cell, "errors");
    out["errors"] = errors ? *errors : gunicorn_errors(cell.load->result);
    out["duration_sec"] = metric_json<ordered>(m[Metric::duration_sec]);
    out["requests_per_sec"] = metric_json<ordered>(m[Metric::requests_per_sec]);
    out["latency_ms"] = gunicorn_latency(m);
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

nlohmann::ordered_json gunicorn_bench_json(const RunReport& run, const ReportOptions& options) {
    const std::vector<std::string> order = grouping_order(run.manifest.axes, options.group_by);
    ordered results = ordered::array();
    for (const CellReport* cell : ordered_cells(run, order))
        results.push_back(gunicorn_result(*cell, run.repeat));
    return {{"timestamp", run.manifest.started_at}, {"results", results}};
}

std::string render_json_report(const RunReport& run, const ReportOptions& options) {
    if (options.style == ReportStyle::gunicorn_bench)
        return gunicorn_bench_json(run, options).dump(2) + "\n";
    return report_json(run, options).dump(2) + "\n";
}

}  // namespace benchctl
