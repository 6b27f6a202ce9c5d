// --format json --style gunicorn-bench: source document 001's shape, key for key and type for
// type. The golden file tests/golden/report/gunicorn_bench.masked.json is the report of a run
// built like the source's (one scenario axis, the source's six scenarios) with every number
// masked; after an intended change regenerate it with
//     BENCHCTL_UPDATE_GOLDEN=1 build/tests/unit_report_tests "[golden]"
// and review the diff. The same masked structure must equal the source's own JSON
// (tests/fixtures/reference/001_*.txt).

#include "report/formats/gunicorn_bench_report.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/formats/json_report.hpp"
#include "report/model/run_reader.hpp"
#include "run_fixture.hpp"
#include "util/error.hpp"

using namespace benchctl;
using benchctl::test::axis_value;
using benchctl::test::build_three_axis_run;
using benchctl::test::done_record;
using benchctl::test::result_with;
using benchctl::test::RunFixture;
using ordered = nlohmann::ordered_json;

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The structure of a document: numbers become "<integer>" or "<float>", digits in strings 9
// (a timestamp keeps its format, not its time); keys, nesting, array lengths and other text stay.
ordered masked(const ordered& value) {
    if (value.is_number_float())
        return "<float>";
    if (value.is_number())
        return "<integer>";
    if (value.is_string()) {
        std::string text = value.get<std::string>();
        for (char& c : text) {
            if (std::isdigit(static_cast<unsigned char>(c)) != 0)
                c = '9';
        }
        return text;
    }
    if (value.is_structured()) {
        ordered out = value;
        for (auto& [key, item] : out.items())
            item = masked(item);
        return out;
    }
    return value;
}

struct Scenario {
    const char* name;
    const char* action;
    const char* args;
    unsigned concurrency;
    std::uint64_t requests;
};

// The source's six scenarios (name, task, arguments, clients, requests).
constexpr Scenario k_scenarios[] = {{"baseline_10ms", "sleep_task", "[10]", 1, 1000},
                                    {"throughput_10ms", "sleep_task", "[10]", 100, 5000},
                                    {"cpu_bound_100ms", "cpu_task", "[100]", 20, 500},
                                    {"io_bound_500ms", "sleep_task", "[500]", 50, 200},
                                    {"mixed_50_50", "mixed_task", "[50, 50]", 30, 500},
                                    {"overload_10ms", "sleep_task", "[10]", 200, 2000}};

// A run like the source's: axes routing (fields dirty_workers, dirty_threads) x scenario (fields
// task_action, task_args), routing "queue" only, each cell a fixed count of requests.
void build_source_001_run(RunFixture& fixture) {
    AxisValue queue = axis_value("routing", "queue", "");
    queue.fields = {{"dirty_workers", "4"}, {"dirty_threads", "1"}};
    Axis routing{"routing", {queue}};
    Axis scenario{"scenario", {}};
    for (const Scenario& s : k_scenarios) {
        AxisValue value = axis_value("scenario", s.name, "");
        value.fields = {{"task_action", s.action}, {"task_args", s.args}};
        scenario.values.push_back(value);
    }
    fixture.manifest.run_id = "20260124T095633Z-gunicorn-dirty";
    fixture.manifest.status = RunStatus::complete;
    fixture.manifest.matrix_name = "gunicorn-dirty";
    fixture.manifest.axes = {routing, scenario};
    fixture.manifest.started_at = "2026-01-24T09:56:33.125Z";
    fixture.manifest.ended_at = "2026-01-24T09:58:00Z";
    for (const AxisValue& value : scenario.values) {
        const Scenario& s = k_scenarios[&value - scenario.values.data()];
        LoadSettings settings =
            benchctl::test::duration_settings("http://127.0.0.1:8000/task/x", 1, s.concurrency, 10);
        settings.stop_rule = StopRule::requests;
        settings.total_requests = s.requests;
        LoadResult result = result_with({{10'400, s.requests - 1}, {13'800, 1}}, 12.2669, 1000);
        fixture.add_cell(done_record({queue, value}, 1.0, 1 << 20),
                         std::make_pair(settings, std::move(result)));
    }
    fixture.write_manifest();
}

ordered source_001_json() {
    const std::string text =
        read_text(std::string(BENCHCTL_REFERENCE_DIR) + "/001_bd0f1b7dcbb0b206.txt");
    REQUIRE(text.find("{\n") != std::string::npos);
    return ordered::parse(text.substr(text.find("{\n")));
}

ReportOptions gunicorn_options() {
    ReportOptions options;
    options.format = ReportFormat::json;
    options.style = ReportStyle::gunicorn_bench;
    return options;
}

// Objects compared without their key order (source 001's config keys follow its Python dict;
// a matrix's fields come sorted by name).
nlohmann::json unordered(const ordered& value) {
    return nlohmann::json::parse(value.dump());
}

}  // namespace

TEST_CASE("a run shaped like source 001 renders the source's structure, numbers masked",
          "[golden]") {
    RunFixture fixture;
    build_source_001_run(fixture);
    const std::string text = render_json_report(read_run(fixture.path()), gunicorn_options());
    const ordered rendered = masked(ordered::parse(text));
    CHECK(unordered(rendered) == unordered(masked(source_001_json())));

    const std::string golden = std::string(BENCHCTL_GOLDEN_DIR) + "/gunicorn_bench.masked.json";
    if (std::getenv("BENCHCTL_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(golden, std::ios::binary) << rendered.dump(2) << "\n";
        WARN("rewrote " << golden);
    }
    CHECK(rendered.dump(2) + "\n" == read_text(golden));
}

TEST_CASE("gunicorn-bench keeps the source's key order, rounding and timestamp format") {
    RunFixture fixture;
    build_source_001_run(fixture);
    const ordered doc =
        ordered::parse(render_json_report(read_run(fixture.path()), gunicorn_options()));
    CHECK(doc["timestamp"] == "2026-01-24T09:56:33");
    const ordered& first = doc["results"][0];
    std::vector<std::string> keys;
    for (const auto& item : first.items())
        keys.push_back(item.key());
    CHECK(keys == std::vector<std::string>{"scenario", "config", "total_requests", "successful",
                                           "failed", "errors", "duration_sec", "requests_per_sec",
                                           "latency_ms"});
    CHECK(first["scenario"] == "baseline_10ms");
    CHECK(first["config"] == ordered::parse(R"({"dirty_threads": 1, "dirty_workers": 4,
        "task_action": "sleep_task", "task_args": [10], "concurrency": 1})"));
    CHECK(doc["results"][4]["config"]["task_args"] == ordered::array({50, 50}));
    CHECK(first["duration_sec"] == 12.27);
    CHECK(first["requests_per_sec"] == 81.5);  // 1000 / 12.2669 = 81.52...
    CHECK(first["errors"] == ordered::array());
}

TEST_CASE("gunicorn-bench names scenarios by the last axis unless --scenario-axis says") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    ReportOptions options = gunicorn_options();
    const ordered by_mode = gunicorn_bench_json(run, options);
    CHECK(by_mode["results"][0]["scenario"] == "sync");
    // Axes without fields stand in config by name, apart from the scenario's own.
    CHECK(by_mode["results"][0]["config"] ==
          ordered::parse(R"({"server": "gunicorn-gevent", "endpoint": "cache_hit",
                             "concurrency": 100})"));
    options.scenario_axis = "server";
    CHECK(gunicorn_bench_json(run, options)["results"][0]["scenario"] == "gunicorn-gevent");
    options.scenario_axis = "servr";
    CHECK_THROWS_AS(gunicorn_bench_json(run, options), UserError);
}

TEST_CASE("gunicorn-bench lists one message per failed request, not counts") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const ordered doc = gunicorn_bench_json(read_run(fixture.path()), gunicorn_options());
    const ordered& errors = doc["results"][4];
    CHECK(errors["config"]["server"] == "uvicorn");
    CHECK(errors["total_requests"] == 6035 + 317);
    CHECK(errors["successful"] == 5935);
    CHECK(errors["failed"] == 417);
    REQUIRE(errors["errors"].size() == 10);  // the source keeps the first ten
    CHECK(errors["errors"][0] == "timed out");
    CHECK(errors["requests_per_sec"] == 587.6);  // successful 5935 / 10.1 s
    const ordered& failed = doc["results"][6];
    CHECK(failed["total_requests"].is_null());
    CHECK(failed["latency_ms"].is_null());
    CHECK(failed["errors"][0] ==
          "cell failed before its load: not ready within 30s (tcp 127.0.0.1:8000)");
}

TEST_CASE("error messages follow the failure kinds, then the statuses, up to the limit") {
    LoadResult result;
    result.errors.connect = 1;
    result.errors.read = 2;
    result.status_codes = {{200, 5}, {404, 1}, {503, 3}};
    CHECK(gunicorn_error_messages(result, 10) ==
          std::vector<std::string>{"Connection error: connect failed",
                                   "read error: connection closed before the response",
                                   "read error: connection closed before the response", "HTTP 404",
                                   "HTTP 503", "HTTP 503", "HTTP 503"});
    CHECK(gunicorn_error_messages(result, 2).size() == 2);
}

TEST_CASE("a field's text becomes the JSON value it spells") {
    CHECK(typed_field("4") == 4);
    CHECK(typed_field("4").is_number_integer());
    CHECK(typed_field("0.5") == 0.5);
    CHECK(typed_field("[50, 50]") == ordered::array({50, 50}));
    CHECK(typed_field("sleep_task") == "sleep_task");
    CHECK(typed_field("007") == "007");
    CHECK(typed_field("{\"a\": 1}") == "{\"a\": 1}");
    CHECK(typed_field("\"quoted\"") == "\"quoted\"");
}

TEST_CASE("timestamps keep the source's format: wall time without fraction or zone") {
    CHECK(gunicorn_timestamp("2026-11-23T11:03:00.512Z") == "2026-11-23T11:03:00");
    CHECK(gunicorn_timestamp("2026-01-24T10:56:33") == "2026-01-24T10:56:33");
    CHECK(gunicorn_timestamp("yesterday") == "yesterday");
}

TEST_CASE("an axis whose value changes between cells stands in config, even with fields") {
    RunFixture fixture;
    build_source_001_run(fixture);
    // A second routing design beside the first, as scenarios/gunicorn-dirty.yaml has them.
    AxisValue lock = axis_value("routing", "lock", "");
    lock.fields = {{"dirty_workers", "4"}, {"dirty_threads", "1"}};
    fixture.manifest.axes[0].values.push_back(lock);
    LoadSettings settings =
        benchctl::test::duration_settings("http://127.0.0.1:8000/task/x", 1, 1, 10);
    fixture.add_cell(done_record({lock, fixture.manifest.axes[1].values[0]}, 1.0, 1 << 20),
                     std::make_pair(settings, result_with({{10'400, 1000}}, 12.0, 1000)));
    fixture.write_manifest();
    const ordered doc = gunicorn_bench_json(read_run(fixture.path()), gunicorn_options());
    REQUIRE(doc["results"].size() == 7);
    CHECK(doc["results"][0]["config"]["routing"] == "queue");
    CHECK(doc["results"][6]["config"]["routing"] == "lock");
    CHECK(doc["results"][6]["scenario"] == "baseline_10ms");
}
