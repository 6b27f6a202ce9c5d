#include "import/gunicorn_bench_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace benchctl {
namespace {

using nlohmann::json;

constexpr const char* k_format = "gunicorn-bench";
constexpr const char* k_hint =
    "the file is not gunicorn-bench results JSON (source document 001's shape); name another "
    "format, or fix the field";

// A value of the document with its dotted path and the line it is reported at.
struct JsonField {
    const SourceText& source;
    std::size_t line;
    const json& value;
    std::string path;

    [[noreturn]] void fail(const std::string& kind) const {
        source.fail(line, fmt::format("expected field {} to be {}", path, kind), k_hint);
    }
    JsonField member(const char* key) const {
        if (!value.is_object())
            fail("an object");
        const auto found = value.find(key);
        if (found == value.end())
            source.fail(line, fmt::format("expected field {}.{}, which is missing", path, key),
                        k_hint);
        return {source, line, *found, path + "." + key};
    }
    std::uint64_t count() const {
        if (!value.is_number_unsigned() &&
            !(value.is_number_integer() && value.get<long long>() >= 0))
            fail("a non-negative integer");
        return value.get<std::uint64_t>();
    }
    double number() const {
        if (!value.is_number())
            fail("a number");
        return value.get<double>();
    }
    std::optional<double> optional_number() const {
        if (value.is_null())
            return std::nullopt;
        return number();
    }
};

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

void read_latency(const JsonField& field, RecordedLatency& latency) {
    latency.min = field.member("min").optional_number();
    latency.max = field.member("max").optional_number();
    latency.mean = field.member("mean").optional_number();
    latency.stddev = field.member("stddev").optional_number();
    latency.p50 = field.member("p50").optional_number();
    latency.p95 = field.member("p95").optional_number();
    latency.p99 = field.member("p99").optional_number();
}

ImportedCell read_scenario(const JsonField& field) {
    ImportedCell cell;
    const JsonField scenario = field.member("scenario");
    if (!scenario.value.is_string() || scenario.value.get<std::string>().empty())
        scenario.fail("a non-empty string");
    cell.labels = {scenario.value.get<std::string>()};
    const JsonField config = field.member("config");
    if (!config.value.is_object())
        config.fail("an object");
    const JsonField errors = field.member("errors");
    if (!errors.value.is_array())
        errors.fail("an array");

    LoadSettings& settings = cell.settings;
    settings.threads = 1;
    const auto concurrency = config.value.find("concurrency");
    settings.connections = concurrency != config.value.end() && concurrency->is_number_unsigned()
                               ? concurrency->get<unsigned>()
                               : 1;
    settings.stop_rule = StopRule::requests;
    settings.total_requests = field.member("total_requests").count();

    LoadResult& result = cell.result;
    const std::uint64_t successful = field.member("successful").count();
    const std::uint64_t failed = field.member("failed").count();
    result.requests = {successful + failed, successful, failed, 0};
    result.errors.read = failed;
    result.duration_sec = field.member("duration_sec").number();

    RecordedSummary& summary = cell.summary;
    summary.source = {k_format, field.source.file, field.line + 1};
    summary.requests_per_sec = field.member("requests_per_sec").number();
    read_latency(field.member("latency_ms"), summary.latency_ms);
    summary.figures = {{"config", config.value}, {"errors", errors.value}};
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
    const JsonField root{source, *start, doc, "(root)"};
    const JsonField results = root.member("results");
    if (!results.value.is_array() || results.value.empty())
        results.fail("a non-empty array");
    ImportedDocument document;
    document.axis_names = {"scenario"};
    const auto timestamp = doc.find("timestamp");
    if (timestamp != doc.end() && timestamp->is_string())
        document.started_at = timestamp->get<std::string>();
    const std::vector<std::size_t> lines = scenario_lines(source, *start);
    for (std::size_t i = 0; i < results.value.size(); ++i) {
        const std::size_t line = i < lines.size() ? lines[i] : *start;
        document.cells.push_back(
            read_scenario({source, line, results.value[i], fmt::format("results[{}]", i)}));
    }
    return document;
}

}  // namespace benchctl
