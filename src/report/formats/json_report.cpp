#include "report/formats/json_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "report/model/cell_grouping.hpp"
#include "report/model/summary_table.hpp"
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

json figures_json(const CellReport& cell) {
    if (!cell.metrics)
        return nullptr;
    const LoadSettings& s = cell.load->settings;
    json figures = {{"threads", s.threads},
                    {"connections", s.connections},
                    {"stop_rule", stop_rule_name(s.stop_rule)}};
    for (const MetricDescriptor& descriptor : metric_descriptors())
        put(figures, descriptor.json_path, metric_json<json>((*cell.metrics)[descriptor.metric]));
    null_empty_groups(figures);
    return figures;
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

json row_json(const CellReport& cell, std::optional<double> relative) {
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
        {"figures", figures_json(cell)},
        {"by_request", by_request_json(cell)},
        {"relative_speed", or_null(relative)}};
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
    const std::vector<std::string> order = grouping_order(run.manifest.axes, options.group_by);
    const std::vector<const CellReport*> cells = ordered_cells(run, order);
    const std::vector<std::optional<double>> speeds = relative_speeds(cells);
    json rows = json::array();
    for (std::size_t i = 0; i < cells.size(); ++i)
        rows.push_back(row_json(*cells[i], speeds[i]));
    return {{"schema", k_report_schema}, {"run", run_json(run)}, {"rows", rows}};
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
