#include "results/load_document.hpp"

#include <benchctl/version.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <string>

#include "util/error.hpp"
#include "util/json_field.hpp"

using namespace benchctl;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

LoadSettings closed_loop_settings() {
    LoadSettings settings;
    settings.url = parse_url("http://127.0.0.1:8000/api/items?page=2", "URL argument");
    settings.threads = 4;
    settings.connections = 64;
    settings.stop_rule = StopRule::duration;
    settings.duration = 2500ms;
    settings.timeout = 3s;
    settings.method = "POST";
    settings.headers = {{"Content-Type", "application/json"}, {"X-Trace", "a b"}};
    settings.body = R"({"name":"x"})";
    settings.warmup.period = 1s;
    settings.print_latency_distribution = true;
    return settings;
}

LoadResult closed_loop_result() {
    LoadResult result;
    result.started_at = "2026-11-23T11:03:11.250Z";
    result.duration_sec = 2.5;
    result.requests = {1010, 1000, 7, 3};
    result.errors = {1, 2, 1, 2, 1};
    result.status_codes = {{200, 990}, {404, 6}, {500, 4}};
    result.bytes_read = 123456;
    result.bytes_written = 65432;
    for (std::uint64_t us : {1000, 1500, 2000, 3000, 250000})
        result.latency.record(us, 200);
    result.thread_requests_per_sec = {100.5, 12.25, 130.0, 68.75};
    result.timeline = {{400, 3, 50000, 1500, 3000, {}}, {600, 4, 73456, 1800, 250000, {}}};
    result.warmup_requests = 321;
    result.interrupted = true;
    return result;
}

LoadSettings rate_settings() {
    LoadSettings settings = closed_loop_settings();
    settings.stop_rule = StopRule::requests;
    settings.total_requests = 5000;
    settings.rate_per_sec = 2000.5;
    settings.warmup = Warmup{std::nullopt, 100};
    return settings;
}

LoadResult rate_result() {
    LoadResult result = closed_loop_result();
    result.service_time.emplace();
    result.service_time->record(800, 10);
    result.service_time->record(900, 5);
    result.rate = RateAccounting{2000.5, 5000, 12};
    return result;
}

// Reads a document as the run reader does, with no file to name.
LoadDocument read_back(const json& doc) {
    return from_load_document(JsonField(doc, "", ""));
}

// The document as it comes back from a file: serialised and parsed again.
json through_text(const json& doc) {
    return json::parse(doc.dump());
}

// The message of the UserError from_load_document throws; fails the test when it throws none.
std::string read_error(const json& doc) {
    try {
        read_back(doc);
    } catch (const UserError& error) {
        return error.what();
    }
    FAIL("from_load_document accepted the document");
    return "";
}

void check_same_histogram(const LatencyHistogram& read, const LatencyHistogram& written) {
    CHECK(read.count() == written.count());
    CHECK(read.min() == written.min());
    CHECK(read.max() == written.max());
    CHECK(read.mean() == Approx(written.mean()));
    CHECK(read.value_at_percentile(99) == written.value_at_percentile(99));
}

void check_same_settings(const LoadSettings& read, const LoadSettings& written) {
    CHECK(read.url.text == written.url.text);
    CHECK(read.url.host == written.url.host);
    CHECK(read.url.port == written.url.port);
    CHECK(read.threads == written.threads);
    CHECK(read.connections == written.connections);
    CHECK(read.stop_rule == written.stop_rule);
    CHECK(read.total_requests == written.total_requests);
    CHECK(read.iterations == written.iterations);
    CHECK(read.rate_per_sec == written.rate_per_sec);
    CHECK(read.timeout == written.timeout);
    CHECK(read.method == written.method);
    CHECK(read.headers == written.headers);
    CHECK(read.body == written.body);
    CHECK(read.print_latency_distribution == written.print_latency_distribution);
    CHECK(read.warmup.period == written.warmup.period);
    CHECK(read.warmup.requests == written.warmup.requests);
}

void check_same_counts(const LoadResult& read, const LoadResult& written) {
    CHECK(read.started_at == written.started_at);
    CHECK(read.duration_sec == written.duration_sec);
    CHECK(read.interrupted == written.interrupted);
    CHECK(read.requests.started == written.requests.started);
    CHECK(read.requests.completed == written.requests.completed);
    CHECK(read.requests.failed == written.requests.failed);
    CHECK(read.requests.in_flight_at_stop == written.requests.in_flight_at_stop);
    CHECK(read.errors.connect == written.errors.connect);
    CHECK(read.errors.read == written.errors.read);
    CHECK(read.errors.write == written.errors.write);
    CHECK(read.errors.timeout == written.errors.timeout);
    CHECK(read.errors.parse == written.errors.parse);
    CHECK(read.status_codes == written.status_codes);
    CHECK(read.bytes_read == written.bytes_read);
    CHECK(read.bytes_written == written.bytes_written);
    CHECK(read.warmup_requests == written.warmup_requests);
}

void check_same_series(const LoadResult& read, const LoadResult& written) {
    CHECK(read.thread_requests_per_sec.mean == written.thread_requests_per_sec.mean);
    CHECK(read.thread_requests_per_sec.stddev == written.thread_requests_per_sec.stddev);
    CHECK(read.thread_requests_per_sec.max == written.thread_requests_per_sec.max);
    CHECK(read.thread_requests_per_sec.percent_within_stddev ==
          written.thread_requests_per_sec.percent_within_stddev);
    REQUIRE(read.timeline.size() == written.timeline.size());
    for (std::size_t i = 0; i < read.timeline.size(); ++i) {
        CHECK(read.timeline[i].completed == written.timeline[i].completed);
        CHECK(read.timeline[i].failed == written.timeline[i].failed);
        CHECK(read.timeline[i].bytes_read == written.timeline[i].bytes_read);
        CHECK(read.timeline[i].p50_us == written.timeline[i].p50_us);
        CHECK(read.timeline[i].p99_us == written.timeline[i].p99_us);
    }
}

std::set<std::string> keys_of(const json& object) {
    std::set<std::string> keys;
    for (const auto& item : object.items())
        keys.insert(item.key());
    return keys;
}

}  // namespace

TEST_CASE("reads back what a closed-loop run wrote") {
    const LoadSettings settings = closed_loop_settings();
    const LoadResult result = closed_loop_result();
    const LoadDocument read = read_back(through_text(to_load_document(settings, result)));
    check_same_settings(read.settings, settings);
    CHECK(read.settings.duration == settings.duration);
    check_same_counts(read.result, result);
    check_same_series(read.result, result);
    check_same_histogram(read.result.latency, result.latency);
    CHECK_FALSE(read.result.service_time.has_value());
    CHECK_FALSE(read.result.rate.has_value());
}

TEST_CASE("reads back what a rate-limited run wrote") {
    const LoadSettings settings = rate_settings();
    const LoadResult result = rate_result();
    const LoadDocument read = read_back(through_text(to_load_document(settings, result)));
    check_same_settings(read.settings, settings);
    check_same_counts(read.result, result);
    REQUIRE(read.result.service_time.has_value());
    check_same_histogram(*read.result.service_time, *result.service_time);
    REQUIRE(read.result.rate.has_value());
    CHECK(read.result.rate->target_per_sec == 2000.5);
    CHECK(read.result.rate->scheduled == 5000);
    CHECK(read.result.rate->unsent_at_stop == 12);
}

TEST_CASE("writes exactly the documented top-level keys") {
    const json closed = to_load_document(closed_loop_settings(), closed_loop_result());
    const std::set<std::string> common = {"schema",
                                          "tool",
                                          "url",
                                          "settings",
                                          "started_at",
                                          "duration_sec",
                                          "interrupted",
                                          "requests",
                                          "errors",
                                          "status_codes",
                                          "non_2xx_3xx",
                                          "bytes_read",
                                          "bytes_written",
                                          "requests_per_sec",
                                          "bytes_read_per_sec",
                                          "latency_ms",
                                          "thread_requests_per_sec",
                                          "warmup_requests",
                                          "timeline",
                                          "histograms",
                                          "seed",
                                          "by_request",
                                          "data_sets",
                                          "exhausted_data_set",
                                          "connections_opened",
                                          "connect_ms",
                                          "unsolicited_responses"};
    CHECK(keys_of(closed) == common);
    CHECK(keys_of(closed["histograms"]) == std::set<std::string>{"latency", "connect"});

    std::set<std::string> with_rate = common;
    with_rate.insert({"service_time_ms", "rate"});
    const json rated = to_load_document(rate_settings(), rate_result());
    CHECK(keys_of(rated) == with_rate);
    CHECK(keys_of(rated["histograms"]) ==
          std::set<std::string>{"latency", "service_time", "connect"});
}

TEST_CASE("names the schema and the tool that wrote the document") {
    const json doc = to_load_document(closed_loop_settings(), closed_loop_result());
    CHECK(doc["schema"] == "benchctl.load/2");
    CHECK(doc["tool"]["name"] == "benchctl");
    CHECK(doc["tool"]["version"] == k_version);
    CHECK(doc["tool"]["git_revision"] == k_git_revision);
    CHECK(doc["url"] == "http://127.0.0.1:8000/api/items?page=2");
}

TEST_CASE("writes settings with null for what the stop rule does not use") {
    const json closed = to_load_document(closed_loop_settings(), closed_loop_result())["settings"];
    CHECK(closed["stop_rule"] == "duration");
    CHECK(closed["duration_sec"] == 2.5);
    CHECK(closed["requests"].is_null());
    CHECK(closed["iterations"].is_null());
    CHECK(closed["rate_per_sec"].is_null());
    CHECK(closed["timeout_sec"] == 3.0);
    CHECK(closed["headers"] ==
          json::parse(R"([["Content-Type","application/json"],["X-Trace","a b"]])"));
    CHECK(closed["body_bytes"] == 12);
    CHECK(closed["latency_distribution"] == true);
    CHECK(closed["warmup"] == json::parse(R"({"period_sec": 1.0, "requests": null})"));

    const json rated = to_load_document(rate_settings(), rate_result())["settings"];
    CHECK(rated["stop_rule"] == "requests");
    CHECK(rated["duration_sec"].is_null());
    CHECK(rated["requests"] == 5000);
    CHECK(rated["rate_per_sec"] == 2000.5);
    CHECK(rated["warmup"] == json::parse(R"({"period_sec": null, "requests": 100})"));
}

TEST_CASE("writes counts, derived rates and latency in milliseconds") {
    const json doc = to_load_document(closed_loop_settings(), closed_loop_result());
    CHECK(doc["requests"] ==
          json::parse(R"({"started":1010,"completed":1000,"failed":7,"in_flight_at_stop":3})"));
    CHECK(doc["errors"] ==
          json::parse(R"({"connect":1,"read":2,"write":1,"timeout":2,"parse":1,"check":0})"));
    CHECK(doc["status_codes"] == json::parse(R"({"200":990,"404":6,"500":4})"));
    CHECK(doc["non_2xx_3xx"] == 10);
    CHECK(doc["requests_per_sec"].get<double>() == Approx(400.0));
    CHECK(doc["bytes_read_per_sec"].get<double>() == Approx(123456 / 2.5));
    CHECK(doc["latency_ms"]["min"].get<double>() == Approx(1.0));
    CHECK(doc["latency_ms"]["max"].get<double>() == Approx(250.0));
    CHECK(doc["latency_ms"]["p50"].get<double>() == Approx(2.0).epsilon(0.001));
    CHECK(keys_of(doc["latency_ms"]) == std::set<std::string>{"min", "mean", "stddev", "max", "p50",
                                                              "p75", "p90", "p95", "p99", "p999",
                                                              "within_stddev_pct"});
    CHECK(doc["timeline"][1] == json::parse(R"({"second":1,"completed":600,"failed":4,
        "bytes_read":73456,"p50_ms":1.8,"p99_ms":250.0})"));
}

TEST_CASE("names the first missing field") {
    json doc = through_text(to_load_document(closed_loop_settings(), closed_loop_result()));
    doc["requests"].erase("completed");
    CHECK(read_error(doc) == "field requests.completed is missing");
    doc.erase("requests");
    CHECK(read_error(doc) == "field requests is missing");
    doc["settings"]["warmup"].erase("requests");
    CHECK(read_error(doc) == "field settings.warmup.requests is missing");
}

TEST_CASE("names a field of the wrong type") {
    const json good = through_text(to_load_document(closed_loop_settings(), closed_loop_result()));
    json doc = good;
    doc["settings"]["threads"] = "4";
    CHECK(read_error(doc) == "field settings.threads must be a non-negative integer");
    doc = good;
    doc["errors"]["read"] = -1;
    CHECK(read_error(doc) == "field errors.read must be a non-negative integer");
    doc = good;
    doc["settings"]["duration_sec"] = nullptr;
    CHECK(read_error(doc) == "field settings.duration_sec must be a number");
    doc = good;
    doc["timeline"][1]["p99_ms"] = "slow";
    CHECK(read_error(doc) == "field timeline[1].p99_ms must be a number");
    doc = good;
    doc["status_codes"]["OK"] = 1;
    CHECK(read_error(doc) == "field status_codes.OK must be named by a status code");
    doc = good;
    doc["settings"]["headers"][0] = json::array({"X"});
    CHECK(read_error(doc) == "field settings.headers[0] must be a [name, value] pair of strings");
}

TEST_CASE("requires the rate fields when the settings name a rate") {
    json doc = through_text(to_load_document(rate_settings(), rate_result()));
    doc.erase("rate");
    CHECK(read_error(doc) == "field rate is missing");
    doc = through_text(to_load_document(rate_settings(), rate_result()));
    doc["histograms"].erase("service_time");
    CHECK(read_error(doc) == "field histograms.service_time is missing");
}

TEST_CASE("rejects another schema and a document that is not an object") {
    json doc = through_text(to_load_document(closed_loop_settings(), closed_loop_result()));
    doc["schema"] = "benchctl.load/3";
    CHECK(read_error(doc) ==
          "field schema is 'benchctl.load/3', not benchctl.load/2 or benchctl.load/1");
    CHECK(read_error(json::array()) == "the document must be an object");
}

TEST_CASE("rejects a histogram it cannot read, naming the field inside it") {
    json doc = through_text(to_load_document(closed_loop_settings(), closed_loop_result()));
    doc["histograms"]["latency"] = json::object();
    CHECK(read_error(doc) == "field histograms.latency.highest_trackable_us is missing");
    doc = through_text(to_load_document(closed_loop_settings(), closed_loop_result()));
    doc["histograms"]["latency"]["total"] = 1;
    CHECK_THAT(read_error(doc),
               Catch::StartsWith("field histograms.latency is not a valid histogram"));
}

TEST_CASE("names the file and the path below the field the document was found at") {
    json cell = {{"load", to_load_document(closed_loop_settings(), closed_loop_result())}};
    cell["load"]["settings"].erase("threads");
    try {
        from_load_document(JsonField(cell["load"], "cells/a.json", "restore it", "load"));
        FAIL("a document without settings.threads was accepted");
    } catch (const UserError& error) {
        CHECK(error.message() ==
              "field load.settings.threads is missing, cells/a.json; restore it");
    }
}

namespace {

// A run of a mix: two named requests, one of whose responses failed its check, and a unique data
// set that ran out.
LoadResult model_result() {
    LoadResult result = closed_loop_result();
    result.seed = 18446744073709551615ULL;
    result.errors.check = 3;
    result.connections_opened = 12;
    result.connect_time.record(80, 12);
    result.unsolicited_responses = 2;
    NamedRequestResult home;
    home.name = "home";
    home.requests = {600, 600, 0, 0};
    home.status_codes = {{200, 600}};
    home.latency.record(1500, 600);
    NamedRequestResult item;
    item.name = "item";
    item.requests = {410, 400, 10, 0};
    item.errors.check = 3;
    item.errors.read = 7;
    item.status_codes = {{200, 390}, {404, 13}};
    item.latency.record(2500, 400);
    result.by_name = {home, item};
    result.data_sets = {{"tasks", "unique", 1000, true}};
    result.exhausted_data_set = "tasks";
    return result;
}

}  // namespace

TEST_CASE("reads back the figures of each named request, the data sets and the seed") {
    const LoadResult written = model_result();
    const LoadDocument read =
        read_back(through_text(to_load_document(closed_loop_settings(), written)));
    CHECK(read.result.seed == written.seed);
    CHECK(*read.settings.seed == written.seed);
    CHECK(read.result.errors.check == 3);
    CHECK(read.result.connections_opened == 12);
    CHECK(read.result.unsolicited_responses == 2);
    check_same_histogram(read.result.connect_time, written.connect_time);
    REQUIRE(read.result.by_name.size() == 2);
    const NamedRequestResult& item = read.result.by_name[1];
    CHECK(item.name == "item");
    CHECK(item.requests.started == 410);
    CHECK(item.requests.failed == 10);
    CHECK(item.errors.check == 3);
    CHECK(item.errors.read == 7);
    CHECK(item.status_codes == written.by_name[1].status_codes);
    check_same_histogram(item.latency, written.by_name[1].latency);
    REQUIRE(read.result.data_sets.size() == 1);
    CHECK(read.result.data_sets[0].exhausted);
    CHECK(read.result.data_sets[0].rows == 1000);
    CHECK(read.result.exhausted_data_set == "tasks");
}

TEST_CASE("still reads a benchctl.load/1 document, which knows no checks or named requests") {
    json doc = through_text(to_load_document(closed_loop_settings(), closed_loop_result()));
    doc["schema"] = "benchctl.load/1";
    for (const char* key : {"seed", "by_request", "data_sets", "exhausted_data_set",
                            "connections_opened", "connect_ms", "unsolicited_responses"}) {
        doc.erase(key);
    }
    doc["errors"].erase("check");
    doc["histograms"].erase("connect");
    doc["settings"].erase("keepalive");
    doc["settings"].erase("request_model");
    const LoadDocument read = read_back(doc);
    check_same_counts(read.result, closed_loop_result());
    CHECK(read.result.errors.check == 0);
    CHECK(read.result.by_name.empty());
    CHECK(read.settings.keepalive);
    CHECK_FALSE(read.settings.seed);
}

TEST_CASE("the load's CPUs are written and read back; a document without them is not pinned") {
    LoadSettings settings = closed_loop_settings();
    settings.cpus = {1, 3};
    json doc = through_text(to_load_document(settings, closed_loop_result()));
    CHECK(doc["settings"]["cpus"] == json::array({1, 3}));
    CHECK(read_back(doc).settings.cpus == std::vector<unsigned>{1, 3});
    doc["settings"].erase("cpus");
    CHECK(read_back(doc).settings.cpus.empty());
}

TEST_CASE("a benchctl.load/2 document written before unsolicited_responses reads it as 0") {
    json doc = through_text(to_load_document(closed_loop_settings(), model_result()));
    doc.erase("unsolicited_responses");
    CHECK(read_back(doc).result.unsolicited_responses == 0);
}

TEST_CASE("requires the figures of version 2 in a benchctl.load/2 document") {
    json doc = through_text(to_load_document(closed_loop_settings(), closed_loop_result()));
    doc["errors"].erase("check");
    CHECK(read_error(doc) == "field errors.check is missing");
    doc = through_text(to_load_document(closed_loop_settings(), model_result()));
    doc["by_request"][1].erase("histogram");
    CHECK(read_error(doc) == "field by_request[1].histogram is missing");
}
