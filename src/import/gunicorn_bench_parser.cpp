#include "import/gunicorn_bench_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "util/json_field.hpp"

namespace benchctl {
namespace {

using nlohmann::json;

constexpr const char* k_gunicorn_bench_format = "gunicorn-bench";
constexpr const char* k_hint =
    "the file is not gunicorn-bench results JSON (source document 001's shape); name another "
    "format, or fix the field";

json parse_json(const SourceText& source, std::size_t start) {
    std::size_t offset = 0;
    for (std::size_t i = 0; i < start; ++i)
        offset = source.text.find('\n', offset) + 1;
    const std::string text = source.text.substr(offset);
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        const std::size_t byte = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
        const auto newlines =
            std::count(text.begin(), text.begin() + static_cast<long>(byte), '\n');
        source.fail(start + static_cast<std::size_t>(newlines),
                    fmt::format("expected valid JSON ({})", e.what()), k_hint);
    }
}

// The line of each result's "scenario" key, in order, for locations.
std::vector<std::size_t> scenario_lines(const SourceText& source, std::size_t start) {
    std::vector<std::size_t> lines;
    for (std::size_t i = start; i < source.lines.size(); ++i) {
        if (source.lines[i].find("\"scenario\"") != std::string::npos)
            lines.push_back(i);
    }
    return lines;
}

std::optional<LatencyFigure> milliseconds(const JsonField& field) {
    const std::optional<double> value = field.as_optional_double();
    return value ? std::optional(LatencyFigure::from_ms(*value)) : std::nullopt;
}

void read_latency(const JsonField& field, LatencySummary& latency) {
    latency.min = milliseconds(field["min"]);
    latency.max = milliseconds(field["max"]);
    latency.mean = milliseconds(field["mean"]);
    latency.stddev = milliseconds(field["stddev"]);
    latency.p50 = milliseconds(field["p50"]);
    latency.p95 = milliseconds(field["p95"]);
    latency.p99 = milliseconds(field["p99"]);
}

// One element of "results"; `line` (0-based) is where its "scenario" key is, for the summary's
// source.
ImportedCell read_scenario(const JsonField& field, const SourceText& source, std::size_t line) {
    ImportedCell cell;
    const JsonField scenario = field["scenario"];
    if (scenario.as_string().empty())
        scenario.fail_type("a non-empty string");
    cell.labels = {scenario.as_string()};
    // Kept verbatim as the summary's figures.
    const JsonField config = field["config"];
    if (!config.value().is_object())
        config.fail_type("an object");
    const JsonField errors = field["errors"];
    if (!errors.value().is_array())
        errors.fail_type("an array");

    LoadSettings& settings = cell.settings;
    settings.threads = 1;
    const auto concurrency = config.value().find("concurrency");
    settings.connections = concurrency != config.value().end() && concurrency->is_number_unsigned()
                               ? concurrency->get<unsigned>()
                               : 1;
    settings.stop_rule = StopRule::requests;
    settings.total_requests = field["total_requests"].as_unsigned();

    LoadResult& result = cell.result;
    const std::uint64_t successful = field["successful"].as_unsigned();
    const std::uint64_t failed = field["failed"].as_unsigned();
    result.requests = {successful + failed, successful, failed, 0};
    result.errors.read = failed;
    result.duration_sec = field["duration_sec"].as_double();

    LoadSummary& summary = cell.summary;
    summary.source = SummarySource{k_gunicorn_bench_format, source.file, line + 1};
    summary.requests_per_sec = field["requests_per_sec"].as_double();
    read_latency(field["latency_ms"], summary.latency);
    summary.source_figures = {{"config", config.value()}, {"errors", errors.value()}};
    return cell;
}

}  // namespace

std::optional<std::size_t> json_start_line(const SourceText& source) {
    for (std::size_t i = 0; i < source.lines.size(); ++i) {
        const std::string trimmed = trim_blanks(source.lines[i]);
        if (!trimmed.empty() && trimmed.front() == '{')
            return i;
    }
    return std::nullopt;
}

ImportedDocument parse_gunicorn_bench_file(const SourceText& source) {
    const std::optional<std::size_t> start = json_start_line(source);
    if (!start)
        source.fail(0, "expected a JSON object (a line starting with '{')", k_hint);
    const json doc = parse_json(source, *start);
    const JsonField root(doc, source.location(*start), k_hint);
    const JsonField results = root["results"];
    if (results.size() == 0)
        results.fail_type("a non-empty array");
    ImportedDocument document;
    document.axis_names = {"scenario"};
    const auto timestamp = doc.find("timestamp");
    if (timestamp != doc.end() && timestamp->is_string())
        document.started_at = timestamp->get<std::string>();
    const std::vector<std::size_t> lines = scenario_lines(source, *start);
    const std::vector<JsonField> scenarios = results.elements();
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        const std::size_t line = i < lines.size() ? lines[i] : *start;
        // Located at the scenario's own line, as the rest of the importers locate a figure.
        const JsonField scenario(scenarios[i].value(), source.location(line), k_hint,
                                 scenarios[i].path());
        document.cells.push_back(read_scenario(scenario, source, line));
    }
    return document;
}

}  // namespace benchctl
