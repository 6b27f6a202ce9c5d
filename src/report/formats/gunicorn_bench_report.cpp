#include "report/formats/gunicorn_bench_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "report/model/cell_grouping.hpp"
#include "util/error.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

// Source 001 is read by people too: keep its key order (ordered_json) rather than sorted keys.
using ordered = nlohmann::ordered_json;

// The source's own runner keeps the first ten exception messages of a scenario.
constexpr std::size_t k_error_limit = 10;

double rounded_to(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

// A figure the cell's source recorded in source 001's shape (config, errors), kept verbatim so
// that an imported source 001 renders back to itself.
std::optional<ordered> source_figure(const CellReport& cell, const char* key) {
    if (!cell.load)
        return std::nullopt;
    const nlohmann::json& figures = cell.load->summary.source_figures;
    const auto found = figures.find(key);
    if (found == figures.end())
        return std::nullopt;
    return ordered::parse(found->dump());
}

// The axis whose value names the scenario: --scenario-axis, else the last axis; none without
// axes (the cell id names it then).
std::optional<std::string> scenario_axis(const RunReport& run, const ReportOptions& options) {
    std::vector<std::string> names;
    for (const Axis& axis : run.manifest.axes)
        names.push_back(axis.name);
    if (!options.scenario_axis)
        return names.empty() ? std::nullopt : std::optional(names.back());
    if (std::find(names.begin(), names.end(), *options.scenario_axis) != names.end())
        return options.scenario_axis;
    const std::string list = names.empty() ? "(none)" : fmt::format("{}", fmt::join(names, ", "));
    throw UserError(fmt::format("the run has no axis '{}'", *options.scenario_axis),
                    "--scenario-axis",
                    closest_name(*options.scenario_axis, names)
                        ? unknown_name_hint(*options.scenario_axis, names)
                        : fmt::format("use one of its axes: {}", list));
}

std::string scenario_name(const CellReport& cell, const std::optional<std::string>& axis,
                          unsigned repeat) {
    std::string name = cell.cell_id;
    for (const AxisValue& value : cell.parameters) {
        if (axis && value.axis == *axis)
            name = value.name;
    }
    return repeat > 1 ? fmt::format("{}.rep{}", name, cell.repetition) : name;
}

// The manifest's value (it holds the fields) of a cell's parameter.
const AxisValue* manifest_value(const RunReport& run, const AxisValue& parameter) {
    for (const Axis& axis : run.manifest.axes) {
        if (axis.name != parameter.axis)
            continue;
        for (const AxisValue& value : axis.values) {
            if (value.name == parameter.name)
                return &value;
        }
    }
    return nullptr;
}

// What names a result and tells results apart: the scenario axis, and the axes whose value
// changes between the run's cells.
struct ResultNaming {
    std::optional<std::string> scenario_axis;
    std::set<std::string> varying_axes;
};

std::set<std::string> varying_axes(const RunReport& run) {
    std::map<std::string, std::set<std::string>> seen;
    for (const CellReport& cell : run.cells) {
        for (const AxisValue& value : cell.parameters)
            seen[value.axis].insert(value.name);
    }
    std::set<std::string> varying;
    for (const auto& [axis, names] : seen) {
        if (names.size() > 1)
            varying.insert(axis);
    }
    return varying;
}

// The fields of every axis value of the cell, typed, in axis order, then the concurrency. An
// axis other than the scenario's stands by its name too ("routing": "queue") when its value has
// no fields or differs between the run's cells, so that no two results read the same.
ordered gunicorn_config(const RunReport& run, const CellReport& cell, const ResultNaming& naming) {
    if (std::optional<ordered> config = source_figure(cell, "config"))
        return *config;
    ordered config = ordered::object();
    for (const AxisValue& parameter : cell.parameters) {
        const AxisValue* value = manifest_value(run, parameter);
        const bool has_fields = value != nullptr && !value->fields.empty();
        const bool is_scenario = naming.scenario_axis && parameter.axis == *naming.scenario_axis;
        if (!is_scenario && (!has_fields || naming.varying_axes.count(parameter.axis) != 0))
            config[parameter.axis] = typed_field(parameter.name);
        if (has_fields) {
            for (const auto& [key, text] : value->fields)
                config[key] = typed_field(text);
        }
    }
    if (cell.load)
        config["concurrency"] = cell.load->settings.connections;
    return config;
}

ordered gunicorn_latency(const CellMetrics& m) {
    constexpr std::pair<const char*, Metric> k_keys[] = {
        {"min", Metric::latency_min_ms},   {"max", Metric::latency_max_ms},
        {"mean", Metric::latency_mean_ms}, {"stddev", Metric::latency_stddev_ms},
        {"p50", Metric::latency_p50_ms},   {"p95", Metric::latency_p95_ms},
        {"p99", Metric::latency_p99_ms}};
    ordered latency = ordered::object();
    bool any = false;
    for (const auto& [key, metric] : k_keys) {
        const std::optional<double> value = m.number(metric);
        latency[key] = value ? ordered(*value) : ordered(nullptr);
        any = any || value.has_value();
    }
    return any ? latency : ordered(nullptr);
}

ordered unmeasured_result(ordered out, const CellReport& cell) {
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

// requests_per_sec as the source computes it, successful / duration; a recorded source's figure
// as recorded (its duration was rounded before the division).
double successful_per_sec(const CellReport& cell, std::uint64_t successful, double duration) {
    if (cell.load->summary.source)
        return cell.metrics->number(Metric::requests_per_sec).value_or(0);
    return duration > 0 ? static_cast<double>(successful) / duration : 0;
}

ordered gunicorn_result(const RunReport& run, const CellReport& cell, const ResultNaming& naming) {
    ordered out = {{"scenario", scenario_name(cell, naming.scenario_axis, run.repeat)},
                   {"config", gunicorn_config(run, cell, naming)}};
    if (!cell.metrics || !cell.load)
        return unmeasured_result(std::move(out), cell);
    const CellMetrics& m = *cell.metrics;
    const std::uint64_t non_2xx_3xx = m.count(Metric::non_2xx_3xx);
    const std::uint64_t successful = m.count(Metric::requests_completed) - non_2xx_3xx;
    const std::uint64_t failed = m.count(Metric::requests_failed) + non_2xx_3xx;
    const double duration = m.number(Metric::duration_sec).value_or(0);
    out["total_requests"] = successful + failed;
    out["successful"] = successful;
    out["failed"] = failed;
    const std::optional<ordered> errors = source_figure(cell, "errors");
    out["errors"] =
        errors ? *errors : ordered(gunicorn_error_messages(cell.load->result, k_error_limit));
    out["duration_sec"] = rounded_to(duration, 2);
    out["requests_per_sec"] = rounded_to(successful_per_sec(cell, successful, duration), 1);
    out["latency_ms"] = gunicorn_latency(m);
    return out;
}

}  // namespace

ordered typed_field(const std::string& text) {
    ordered value = ordered::parse(text, nullptr, false);
    if (value.is_discarded() || value.is_object() || value.is_string())
        return text;
    return value;
}

std::string gunicorn_timestamp(const std::string& iso_time) {
    constexpr std::string_view k_shape = "dddd-dd-ddTdd:dd:dd";
    if (iso_time.size() < k_shape.size())
        return iso_time;
    for (std::size_t i = 0; i < k_shape.size(); ++i) {
        const bool digit = std::isdigit(static_cast<unsigned char>(iso_time[i])) != 0;
        if (k_shape[i] == 'd' ? !digit : iso_time[i] != k_shape[i])
            return iso_time;
    }
    return iso_time.substr(0, k_shape.size());
}

std::vector<std::string> gunicorn_error_messages(const LoadResult& result, std::size_t limit) {
    std::vector<std::string> messages;
    const auto add = [&](std::uint64_t count, const std::string& message) {
        for (std::uint64_t i = 0; i < count && messages.size() < limit; ++i)
            messages.push_back(message);
    };
    const ErrorCounts& e = result.errors;
    add(e.connect, "Connection error: connect failed");
    add(e.read, "read error: connection closed before the response");
    add(e.write, "write error");
    add(e.timeout, "timed out");
    add(e.parse, "invalid HTTP response");
    for (const auto& [status, count] : result.status_codes) {
        if (status < 200 || status > 399)
            add(count, fmt::format("HTTP {}", status));
    }
    return messages;
}

nlohmann::ordered_json gunicorn_bench_json(const RunReport& run, const ReportOptions& options) {
    const ResultNaming naming{scenario_axis(run, options), varying_axes(run)};
    const std::vector<std::string> order = grouping_order(run.manifest.axes, options.group_by);
    ordered results = ordered::array();
    for (const CellReport* cell : ordered_cells(run, order))
        results.push_back(gunicorn_result(run, *cell, naming));
    return {{"timestamp", gunicorn_timestamp(run.manifest.started_at)}, {"results", results}};
}

std::string render_gunicorn_bench_report(const RunReport& run, const ReportOptions& options) {
    return gunicorn_bench_json(run, options).dump(2) + "\n";
}

}  // namespace benchctl
