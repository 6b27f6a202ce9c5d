#include "import/gunicorn_bench_parser.hpp"

#include <catch2/catch.hpp>

#include "import_test_support.hpp"
#include "util/error.hpp"

using namespace benchctl;
using namespace benchctl::test;

TEST_CASE("reads one cell per scenario of source 001, skipping the text before the JSON") {
    const ImportedDocument document = parse_gunicorn_bench_file(reference_source(k_source_001));
    CHECK(document.started_at == "2026-01-24T10:56:33");
    CHECK(document.axis_names == std::vector<std::string>{"scenario"});
    REQUIRE(document.cells.size() == 6);
    const ImportedCell& baseline = document.cells[0];
    CHECK(baseline.labels == std::vector<std::string>{"baseline_10ms"});
    CHECK(baseline.settings.stop_rule == StopRule::requests);
    CHECK(baseline.settings.total_requests == 1000);
    CHECK(baseline.settings.connections == 1);
    CHECK(baseline.result.requests.completed == 1000);
    CHECK(baseline.result.requests.failed == 0);
    CHECK(baseline.result.duration_sec == 12.27);
    CHECK(baseline.summary.requests_per_sec == 81.5);
    CHECK(baseline.summary.latency.min->ms() == 10.432417009724304);
    CHECK(baseline.summary.latency.p95->ms() == 13.078375020995736);
    CHECK_FALSE(baseline.summary.latency.p75);
    CHECK(baseline.summary.source_figures.at("config").at("task_action") == "sleep_task");
    CHECK(baseline.summary.source_figures.at("errors") == nlohmann::json::array());
    CHECK(baseline.summary.source->line == 35);  // its "scenario" key
    CHECK(document.cells[5].labels == std::vector<std::string>{"overload_10ms"});
    CHECK(document.cells[5].settings.connections == 200);
}

TEST_CASE("names the line and field of a gunicorn-bench result that is not of its shape") {
    const auto error_of = [](const std::string& text) {
        try {
            parse_gunicorn_bench_file(make_source_text("r.json", text));
        } catch (const UserError& error) {
            return error.message();
        }
        return std::string("no error");
    };
    CHECK_THAT(error_of("no json here\n"),
               Catch::Contains("r.json:1") && Catch::Contains("expected a JSON object"));
    CHECK_THAT(error_of("header\n{\n  \"results\": [\n    {,\n"),
               Catch::Contains("r.json:4") && Catch::Contains("expected valid JSON"));
    CHECK_THAT(error_of("{\"results\": []}\n"), Catch::Contains("results"));
    CHECK_THAT(error_of("{\"results\": [\n {\"scenario\": \"a\", \"config\": {}, \"errors\": [],\n"
                        "  \"total_requests\": 1, \"successful\": 1, \"failed\": 0,\n"
                        "  \"duration_sec\": \"long\"}]}\n"),
               Catch::Contains("r.json:2") && Catch::Contains("results[0].duration_sec") &&
                   Catch::Contains("a number"));
}
