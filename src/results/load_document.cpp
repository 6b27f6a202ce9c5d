#include "results/load_document.hpp"

#include <benchctl/version.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "load/request_model.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"
#include "util/json_optional.hpp"

namespace benchctl {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Writing

double to_seconds(std::chrono::nanoseconds duration) {
    return std::chrono::duration<double>(duration).count();
}

double us_to_ms(double microseconds) {
    return microseconds / 1000.0;
}

json headers_json(const LoadSettings& settings) {
    json headers = json::array();
    for (const auto& [name, value] : settings.headers)
        headers.push_back(json::array({name, value}));
    return headers;
}

// What the request model of the run was: how requests were chosen, their names and weights, the
// data sets. Descriptive: not read back (the model is rebuilt from its spec, never from here).
json request_model_json(const LoadSettings& settings) {
    const RequestModel* model = settings.requests.get();
    if (model == nullptr)
        return nullptr;
    json requests = json::array();
    for (const CompiledRequest& request : model->requests) {
        json entry = {{"name", request.name}};
        if (model->shape == RequestShape::mix)
            entry["weight"] = request.weight;
        requests.push_back(entry);
    }
    json data = json::array();
    for (const ModelDataSet& set : model->data) {
        data.push_back({{"name", set.name},
                        {"file", set.file},
                        {"pick", pick_mode_name(set.pick)},
                        {"rows", set.rows ? set.rows->row_count() : 0}});
    }
    return {{"shape", request_shape_name(model->shape)}, {"requests", requests}, {"data", data}};
}

json settings_json(const LoadSettings& settings) {
    const StopRule rule = settings.stop_rule;
    const auto only_for = [rule](StopRule wanted, json value) {
        return rule == wanted ? value : json(nullptr);
    };
    const json warmup_period =
        settings.warmup.period ? json(to_seconds(*settings.warmup.period)) : json(nullptr);
    return {
        {"threads", settings.threads},
        {"connections", settings.connections},
        {"stop_rule", stop_rule_name(rule)},
        {"duration_sec", only_for(StopRule::duration, to_seconds(settings.duration))},
        {"requests", only_for(StopRule::requests, settings.total_requests)},
        {"iterations", only_for(StopRule::iterations, settings.iterations)},
        {"rate_per_sec", or_null(settings.rate_per_sec)},
        {"timeout_sec", to_seconds(settings.timeout)},
        {"method", settings.method},
        {"headers", headers_json(settings)},
        {"body_bytes", settings.body.size()},
        {"body", settings.body},
        {"latency_distribution", settings.print_latency_distribution},
        {"warmup",
         {{"period_sec", warmup_period}, {"requests", or_null(settings.warmup.requests)}}},
        {"keepalive", settings.keepalive},
        {"cpus", settings.cpus},
        {"request_model", request_model_json(settings)},
    };
}

json latency_summary_json(const LatencyHistogram& histogram) {
    const auto percentile_ms = [&](double percentile) {
        return us_to_ms(static_cast<double>(histogram.value_at_percentile(percentile)));
    };
    return {
        {"min", us_to_ms(static_cast<double>(histogram.min()))},
        {"mean", us_to_ms(histogram.mean())},
        {"stddev", us_to_ms(histogram.stddev())},
        {"max", us_to_ms(static_cast<double>(histogram.max()))},
        {"p50", percentile_ms(50)},
        {"p75", percentile_ms(75)},
        {"p90", percentile_ms(90)},
        {"p95", percentile_ms(95)},
        {"p99", percentile_ms(99)},
        {"p999", percentile_ms(99.9)},
        {"within_stddev_pct", histogram.percent_within_stddev()},
    };
}

json counts_json(const RequestCounts& requests, const ErrorCounts& errors,
                 const std::map<int, std::uint64_t>& codes) {
    json status_codes = json::object();
    for (const auto& [status, count] : codes)
        status_codes[std::to_string(status)] = count;
    return {
        {"requests",
         {{"started", requests.started},
          {"completed", requests.completed},
          {"failed", requests.failed},
          {"in_flight_at_stop", requests.in_flight_at_stop}}},
        {"errors",
         {{"connect", errors.connect},
          {"read", errors.read},
          {"write", errors.write},
          {"timeout", errors.timeout},
          {"parse", errors.parse},
          {"check", errors.check}}},
        {"status_codes", status_codes},
    };
}

// benchctl.load/2's figures of the request model: per named request, the data sets, connects.
void add_model_fields(const LoadResult& result, json& doc) {
    json by_request = json::array();
    for (const NamedRequestResult& named : result.by_name) {
        json entry = counts_json(named.requests, named.errors, named.status_codes);
        entry["name"] = named.name;
        entry["latency_ms"] = latency_summary_json(named.latency);
        entry["histogram"] = named.latency.to_json();
        by_request.push_back(std::move(entry));
    }
    doc["by_request"] = std::move(by_request);
    json data_sets = json::array();
    for (const DataSetOutcome& set : result.data_sets) {
        data_sets.push_back({{"name", set.name},
                             {"pick", set.pick},
                             {"rows", set.rows},
                             {"exhausted", set.exhausted}});
    }
    doc["data_sets"] = std::move(data_sets);
    doc["exhausted_data_set"] = or_null(result.exhausted_data_set);
    doc["connections_opened"] = result.connections_opened;
    doc["connect_ms"] = latency_summary_json(result.connect_time);
    doc["unsolicited_responses"] = result.unsolicited_responses;
    doc["histograms"]["connect"] = result.connect_time.to_json();
}

json timeline_json(const std::vector<TimelineSecond>& timeline) {
    json seconds = json::array();
    for (std::size_t i = 0; i < timeline.size(); ++i) {
        const TimelineSecond& second = timeline[i];
        seconds.push_back({{"second", i},
                           {"completed", second.completed},
                           {"failed", second.failed},
                           {"bytes_read", second.bytes_read},
                           {"p50_ms", us_to_ms(static_cast<double>(second.p50_us))},
                           {"p99_ms", us_to_ms(static_cast<double>(second.p99_us))}});
    }
    return seconds;
}

json thread_rate_json(const SampleSummary& summary) {
    return {{"mean", summary.mean},
            {"stddev", summary.stddev},
            {"max", summary.max},
            {"within_stddev_pct", summary.percent_within_stddev}};
}

// Fields present only in rate mode: service time and how the schedule was kept.
void add_rate_fields(const LoadResult& result, json& doc) {
    if (result.service_time) {
        doc["service_time_ms"] = latency_summary_json(*result.service_time);
        doc["histograms"]["service_time"] = result.service_time->to_json();
    }
    if (result.rate) {
        doc["rate"] = {{"target_per_sec", result.rate->target_per_sec},
                       {"scheduled", result.rate->scheduled},
                       {"unsent_at_stop", result.rate->unsent_at_stop}};
    }
}

json figure_json(const std::optional<LatencyFigure>& figure) {
    return figure ? json(figure->ms()) : json(nullptr);
}

json recorded_latency_json(const LatencySummary& latency) {
    return {{"min", figure_json(latency.min)},
            {"mean", figure_json(latency.mean)},
            {"stddev", figure_json(latency.stddev)},
            {"max", figure_json(latency.max)},
            {"p50", figure_json(latency.p50)},
            {"p75", figure_json(latency.p75)},
            {"p90", figure_json(latency.p90)},
            {"p95", figure_json(latency.p95)},
            {"p99", figure_json(latency.p99)},
            {"p999", figure_json(latency.p999)},
            {"within_stddev_pct", or_null(latency.within_stddev_pct)}};
}

// ---------------------------------------------------------------------------------------------
// Reading

std::chrono::nanoseconds from_seconds(double seconds) {
    return std::chrono::nanoseconds(std::llround(seconds * 1e9));
}

std::uint64_t ms_to_us(double milliseconds) {
    return static_cast<std::uint64_t>(std::llround(milliseconds * 1000.0));
}

// Returns the schema's version: 2, or 1 for documents written before request models.
int check_schema(const JsonField& schema) {
    const std::string name = schema.as_string();
    if (name == k_load_schema)
        return 2;
    if (name == k_load_schema_v1)
        return 1;
    schema.fail("is '" + name + "', not " + k_load_schema + " or " + k_load_schema_v1);
}

StopRule read_stop_rule(const JsonField& field) {
    const std::string name = field.as_string();
    for (StopRule rule : {StopRule::duration, StopRule::requests, StopRule::iterations}) {
        if (name == stop_rule_name(rule))
            return rule;
    }
    field.fail_type("\"duration\", \"requests\" or \"iterations\"");
}

std::vector<std::pair<std::string, std::string>> read_headers(const JsonField& field) {
    std::vector<std::pair<std::string, std::string>> headers;
    for (const JsonField& pair : field.elements()) {
        const json& value = pair.value();
        if (!value.is_array() || value.size() != 2 || !value[0].is_string() ||
            !value[1].is_string()) {
            pair.fail_type("a [name, value] pair of strings");
        }
        headers.emplace_back(value[0].get<std::string>(), value[1].get<std::string>());
    }
    return headers;
}

// Reads the rule's own limit; the other rules' limits are null but must still be well-typed.
void read_stop_limits(const JsonField& field, LoadSettings& settings) {
    const StopRule rule = settings.stop_rule;
    const JsonField duration = field["duration_sec"];
    const JsonField requests = field["requests"];
    const JsonField iterations = field["iterations"];
    if (rule == StopRule::duration)
        settings.duration = from_seconds(duration.as_double());
    if (rule != StopRule::duration)
        duration.as_optional_double();
    if (rule == StopRule::requests)
        settings.total_requests = requests.as_unsigned();
    if (rule != StopRule::requests)
        requests.as_optional_unsigned();
    if (rule == StopRule::iterations)
        settings.iterations = iterations.as_unsigned();
    if (rule != StopRule::iterations)
        iterations.as_optional_unsigned();
}

Warmup read_warmup(const JsonField& field) {
    Warmup warmup;
    if (auto period = field["period_sec"].as_optional_double())
        warmup.period = from_seconds(*period);
    warmup.requests = field["requests"].as_optional_unsigned();
    return warmup;
}

// An imported document keeps the URL its source printed, which benchctl may not be able to load
// (https://, or none at all): it is kept as text.
Url read_url(const JsonField& field, bool imported) {
    const std::string text = field.as_string();
    if (!imported)
        return parse_url(text, "field url");
    try {
        return parse_url(text, "field url");
    } catch (const UserError&) {
        Url url;
        url.text = text;
        return url;
    }
}

LoadSettings read_settings(const JsonField& root, bool imported, int version) {
    LoadSettings settings;
    settings.url = read_url(root["url"], imported);
    const JsonField field = root["settings"];
    settings.threads = field["threads"].as_unsigned<unsigned>();
    settings.connections = field["connections"].as_unsigned<unsigned>();
    settings.stop_rule = read_stop_rule(field["stop_rule"]);
    read_stop_limits(field, settings);
    settings.rate_per_sec = field["rate_per_sec"].as_optional_double();
    settings.timeout = from_seconds(field["timeout_sec"].as_double());
    settings.method = field["method"].as_string();
    settings.headers = read_headers(field["headers"]);
    settings.body = field["body"].as_string();
    settings.print_latency_distribution = field["latency_distribution"].as_bool();
    settings.warmup = read_warmup(field["warmup"]);
    if (version >= 2) {
        settings.keepalive = field["keepalive"].as_bool();
        settings.seed = root["seed"].as_unsigned();
    }
    // Added within benchctl.load/2: documents written before it have none (not pinned).
    if (const std::optional<JsonField> cpus = field.find("cpus")) {
        for (const JsonField& cpu : cpus->elements())
            settings.cpus.push_back(cpu.as_unsigned<unsigned>());
    }
    return settings;
}

// `requests` and `errors` at `root`; errors.check only from version 2 on.
void read_counts(const JsonField& root, int version, RequestCounts& counts, ErrorCounts& failed) {
    const JsonField requests = root["requests"];
    counts.started = requests["started"].as_unsigned();
    counts.completed = requests["completed"].as_unsigned();
    counts.failed = requests["failed"].as_unsigned();
    counts.in_flight_at_stop = requests["in_flight_at_stop"].as_unsigned();
    const JsonField errors = root["errors"];
    failed.connect = errors["connect"].as_unsigned();
    failed.read = errors["read"].as_unsigned();
    failed.write = errors["write"].as_unsigned();
    failed.timeout = errors["timeout"].as_unsigned();
    failed.parse = errors["parse"].as_unsigned();
    if (version >= 2)
        failed.check = errors["check"].as_unsigned();
}

std::map<int, std::uint64_t> read_status_codes(const JsonField& field) {
    std::map<int, std::uint64_t> codes;
    for (const auto& [key, code] : field.members()) {
        int status = 0;
        const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), status);
        if (error != std::errc() || end != key.data() + key.size() || status < 0) {
            code.fail_type("named by a status code");
        }
        codes[status] = code.as_unsigned();
    }
    return codes;
}

SampleSummary read_thread_rate(const JsonField& field) {
    SampleSummary summary;
    summary.mean = field["mean"].as_double();
    summary.stddev = field["stddev"].as_double();
    summary.max = field["max"].as_double();
    summary.percent_within_stddev = field["within_stddev_pct"].as_double();
    return summary;
}

std::vector<TimelineSecond> read_timeline(const JsonField& field) {
    std::vector<TimelineSecond> timeline;
    for (const JsonField& element : field.elements()) {
        TimelineSecond second;
        second.completed = element["completed"].as_unsigned();
        second.failed = element["failed"].as_unsigned();
        second.bytes_read = element["bytes_read"].as_unsigned();
        second.p50_us = ms_to_us(element["p50_ms"].as_double());
        second.p99_us = ms_to_us(element["p99_ms"].as_double());
        timeline.push_back(second);
    }
    return timeline;
}

LatencyHistogram read_histogram(const JsonField& field) {
    return LatencyHistogram::from_json(field);
}

// Rate-mode fields are required when the settings name a rate, read when present otherwise.
void read_rate_fields(const JsonField& root, const LoadSettings& settings, LoadResult& result) {
    const bool with_rate = settings.rate_per_sec.has_value();
    if (with_rate || root.has("rate")) {
        const JsonField rate = root["rate"];
        result.rate =
            RateAccounting{rate["target_per_sec"].as_double(), rate["scheduled"].as_unsigned(),
                           rate["unsent_at_stop"].as_unsigned()};
    }
    const JsonField histograms = root["histograms"];
    if (with_rate || histograms.has("service_time")) {
        result.service_time = read_histogram(histograms["service_time"]);
    }
}

// Derived fields (non_2xx_3xx, the per-second rates, the *_ms summaries) are not read: they are
// recomputed from the counts and the histograms. An imported document has no histogram (its
// summary is read by read_recorded_summary) and may lack the Req/Sec row.
// benchctl.load/2's figures of the request model (a measured document's).
void read_model_fields(const JsonField& root, LoadResult& result) {
    for (const JsonField& entry : root["by_request"].elements()) {
        NamedRequestResult& named = result.by_name.emplace_back();
        named.name = entry["name"].as_string();
        read_counts(entry, 2, named.requests, named.errors);
        named.status_codes = read_status_codes(entry["status_codes"]);
        named.latency = read_histogram(entry["histogram"]);
    }
    for (const JsonField& entry : root["data_sets"].elements()) {
        result.data_sets.push_back({entry["name"].as_string(), entry["pick"].as_string(),
                                    entry["rows"].as_unsigned(), entry["exhausted"].as_bool()});
    }
    const JsonField exhausted = root["exhausted_data_set"];
    if (!exhausted.value().is_null())
        result.exhausted_data_set = exhausted.as_string();
    result.connections_opened = root["connections_opened"].as_unsigned();
    result.connect_time = read_histogram(root["histograms"]["connect"]);
    // Added within benchctl.load/2: documents written before it have none.
    result.unsolicited_responses = root.get_or<std::uint64_t>("unsolicited_responses", 0);
}

LoadResult read_result(const JsonField& root, const LoadSettings& settings, bool imported,
                       int version) {
    LoadResult result;
    result.started_at = root["started_at"].as_string();
    result.duration_sec = root["duration_sec"].as_double();
    result.interrupted = root["interrupted"].as_bool();
    if (version >= 2)
        result.seed = root["seed"].as_unsigned();
    read_counts(root, version, result.requests, result.errors);
    result.status_codes = read_status_codes(root["status_codes"]);
    result.bytes_read = root["bytes_read"].as_unsigned();
    result.bytes_written = root["bytes_written"].as_unsigned();
    const JsonField thread_rate = root["thread_requests_per_sec"];
    if (!imported || !thread_rate.value().is_null())
        result.thread_requests_per_sec = read_thread_rate(thread_rate);
    result.warmup_requests = root["warmup_requests"].as_unsigned();
    result.timeline = read_timeline(root["timeline"]);
    if (imported)
        return result;
    result.latency = read_histogram(root["histograms"]["latency"]);
    read_rate_fields(root, settings, result);
    if (version >= 2)
        read_model_fields(root, result);
    return result;
}

// Figures as the source printed them, in milliseconds; they summarise the completed requests
// when any of them is known.
LatencySummary read_recorded_latency(const JsonField& field, std::uint64_t completed) {
    if (!field.value().is_object())
        field.fail_type("an object");
    bool any = false;
    const auto at = [&](const char* key) -> std::optional<LatencyFigure> {
        const std::optional<double> ms =
            field.has(key) ? field[key].as_optional_double() : std::nullopt;
        any = any || ms.has_value();
        return ms ? std::optional(LatencyFigure::from_ms(*ms)) : std::nullopt;
    };
    LatencySummary latency;
    latency.min = at("min");
    latency.mean = at("mean");
    latency.stddev = at("stddev");
    latency.max = at("max");
    latency.p50 = at("p50");
    latency.p75 = at("p75");
    latency.p90 = at("p90");
    latency.p95 = at("p95");
    latency.p99 = at("p99");
    latency.p999 = at("p999");
    latency.within_stddev_pct = field.has("within_stddev_pct")
                                    ? field["within_stddev_pct"].as_optional_double()
                                    : std::nullopt;
    latency.count = any ? completed : 0;
    return latency;
}

// An imported document's summary fields are what it holds instead of histograms, so they are
// read rather than recomputed.
LoadSummary read_recorded_summary(const JsonField& root, const LoadResult& result) {
    const JsonField imported = root["imported"];
    LoadSummary summary;
    summary.source = SummarySource{imported["format"].as_string(), imported["file"].as_string(),
                                   imported["line"].as_unsigned()};
    if (imported.has("figures")) {
        const JsonField figures = imported["figures"];
        if (!figures.value().is_object())
            figures.fail_type("an object");
        summary.source_figures = figures.value();
    }
    summary.requests_per_sec = root["requests_per_sec"].as_double();
    summary.bytes_read_per_sec = root["bytes_read_per_sec"].as_double();
    summary.non_2xx_3xx = root["non_2xx_3xx"].as_unsigned();
    summary.latency = read_recorded_latency(root["latency_ms"], result.requests.completed);
    const JsonField thread_rate = root["thread_requests_per_sec"];
    if (!thread_rate.value().is_null())
        summary.thread_requests_per_sec = read_thread_rate(thread_rate);
    return summary;
}

}  // namespace

json to_load_document(const LoadSettings& settings, const LoadResult& result) {
    json doc = {
        {"schema", k_load_schema},
        {"tool", {{"name", "benchctl"}, {"version", k_version}, {"git_revision", k_git_revision}}},
        {"url", settings.url.text},
        {"settings", settings_json(settings)},
        {"started_at", result.started_at},
        {"duration_sec", result.duration_sec},
        {"interrupted", result.interrupted},
        {"non_2xx_3xx", result.non_2xx_3xx()},
        {"bytes_read", result.bytes_read},
        {"bytes_written", result.bytes_written},
        {"requests_per_sec", result.requests_per_sec()},
        {"bytes_read_per_sec", result.bytes_read_per_sec()},
        {"latency_ms", latency_summary_json(result.latency)},
        {"thread_requests_per_sec", thread_rate_json(result.thread_requests_per_sec)},
        {"warmup_requests", result.warmup_requests},
        {"timeline", timeline_json(result.timeline)},
        {"histograms", {{"latency", result.latency.to_json()}}},
        {"seed", result.seed},
    };
    doc.update(counts_json(result.requests, result.errors, result.status_codes));
    add_rate_fields(result, doc);
    add_model_fields(result, doc);
    return doc;
}

json to_imported_load_document(const LoadSettings& settings, const LoadResult& result,
                               const LoadSummary& summary) {
    json doc = to_load_document(settings, result);
    doc["requests_per_sec"] = summary.requests_per_sec;
    doc["bytes_read_per_sec"] = summary.bytes_read_per_sec;
    doc["non_2xx_3xx"] = summary.non_2xx_3xx;
    doc["latency_ms"] = recorded_latency_json(summary.latency);
    doc["thread_requests_per_sec"] = summary.thread_requests_per_sec
                                         ? thread_rate_json(*summary.thread_requests_per_sec)
                                         : json(nullptr);
    doc["histograms"] = nullptr;
    doc.erase("service_time_ms");
    doc.erase("rate");
    const SummarySource source = summary.source.value_or(SummarySource{});
    doc["imported"] = {{"format", source.format},
                       {"file", source.file},
                       {"line", source.line},
                       {"figures", summary.source_figures}};
    return doc;
}

LoadDocument from_load_document(const JsonField& root) {
    const int version = check_schema(root["schema"]);
    const bool imported = root.has("imported");
    LoadDocument loaded;
    loaded.settings = read_settings(root, imported, version);
    loaded.result = read_result(root, loaded.settings, imported, version);
    loaded.summary =
        imported ? read_recorded_summary(root, loaded.result) : summarize(loaded.result);
    return loaded;
}

}  // namespace benchctl
