#include "report/formats/json_report.hpp"

#include <catch2/catch.hpp>

#include "report/model/run_reader.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::build_three_axis_run;
using benchctl::test::RunFixture;
using nlohmann::json;

TEST_CASE("benchctl's JSON report holds the run and one row per cell") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const json doc = json::parse(render_json_report(read_run(fixture.path()), {}));
    CHECK(doc["schema"] == "benchctl.report/1");
    CHECK(doc["run"]["id"] == "20261123T110300Z-django-workers");
    CHECK(doc["run"]["title"] == "Django Workers");
    CHECK(doc["run"]["host"]["cores"] == 2);
    REQUIRE(doc["rows"].size() == 7);
    const json& best = doc["rows"][0];
    CHECK(best["cell"] == "gunicorn-gevent.cache_hit.sync");
    CHECK(best["labels"]["server"] == "WSGI Gunicorn Gevent");
    CHECK(best["parameters"]["mode"] == "sync");
    CHECK(best["figures"]["requests"]["completed"] == 26900);
    CHECK(best["figures"]["requests_per_sec"].get<double>() == Approx(2690));
    CHECK(best["figures"]["latency_ms"]["mean"].get<double>() ==
          Approx((8.4 * 26000 + 12.0 * 900) / 26900));
    CHECK(best["relative_speed"] == 1.0);
    const json& failed = doc["rows"][6];
    CHECK(failed["status"] == "failed");
    CHECK(failed["figures"].is_null());
    CHECK(failed["relative_speed"].is_null());
    CHECK(failed["failure_reason"] == "not ready within 30s (tcp 127.0.0.1:8000)");
}

TEST_CASE("option --style gunicorn-bench writes source document 001's shape") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    ReportOptions options;
    options.format = ReportFormat::json;
    options.style = ReportStyle::gunicorn_bench;
    const std::string text = render_json_report(read_run(fixture.path()), options);
    const json doc = json::parse(text);
    CHECK(doc["timestamp"] == "2026-11-23T11:03:00Z");
    REQUIRE(doc["results"].size() == 7);
    std::vector<std::string> keys;
    for (const auto& item : doc["results"][0].items())
        keys.push_back(item.key());
    std::sort(keys.begin(), keys.end());
    CHECK(keys == std::vector<std::string>{"config", "duration_sec", "errors", "failed",
                                           "latency_ms", "requests_per_sec", "scenario",
                                           "successful", "total_requests"});
    // Keys in source 001's order, for people reading the file.
    CHECK(text.find("\"scenario\"") < text.find("\"config\""));
    CHECK(text.find("\"config\"") < text.find("\"total_requests\""));

    const json& errors = doc["results"][4];
    CHECK(errors["scenario"] == "uvicorn.cache_hit.async");
    CHECK(errors["config"]["server"] == "uvicorn");
    CHECK(errors["config"]["concurrency"] == 100);
    CHECK(errors["config"]["threads"] == 4);
    CHECK(errors["total_requests"] == 6035 + 317);
    CHECK(errors["successful"] == 5935);
    CHECK(errors["failed"] == 417);
    CHECK(errors["errors"] == json::array({"timeout errors: 317", "HTTP 503: 100",
                                           "in flight at stop (not counted): 48"}));
    CHECK(errors["latency_ms"]["max"].get<double>() == Approx(2000.0));
    CHECK(errors["latency_ms"].contains("p95"));
    CHECK_FALSE(errors["latency_ms"].contains("p90"));

    const json& failed = doc["results"][6];
    CHECK(failed["total_requests"].is_null());
    CHECK(failed["latency_ms"].is_null());
    CHECK(failed["errors"][0] ==
          "cell failed before its load: not ready within 30s (tcp 127.0.0.1:8000)");
}
