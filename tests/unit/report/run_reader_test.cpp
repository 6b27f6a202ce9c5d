#include "report/model/run_reader.hpp"

#include <catch2/catch.hpp>

#include "run_fixture.hpp"
#include "util/error.hpp"

using benchctl::CellReport;
using benchctl::EntryStatus;
using benchctl::Metric;
using benchctl::read_run;
using benchctl::RunReport;
using benchctl::RunStatus;
using benchctl::UserError;
using benchctl::test::build_three_axis_run;
using benchctl::test::RunFixture;
using Catch::Matchers::Contains;

namespace {

const CellReport& find_cell(const RunReport& run, const std::string& id) {
    for (const CellReport& cell : run.cells) {
        if (cell.cell_id == id)
            return cell;
    }
    FAIL("no cell " << id);
    throw;
}

std::string error_of(const std::string& directory) {
    try {
        read_run(directory);
    } catch (const UserError& e) {
        return e.message();
    }
    return "no error";
}

}  // namespace

TEST_CASE("reads every cell of a run in manifest order with its load document and metrics") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    REQUIRE(run.cells.size() == 7);
    CHECK(run.cells[0].cell_id == "uvicorn.cache_hit.sync");
    CHECK(run.title() == "Django Workers");
    CHECK(run.repeat == 1);

    const CellReport& gevent = find_cell(run, "gunicorn-gevent.cache_hit.sync");
    REQUIRE(gevent.metrics);
    CHECK(gevent.status == EntryStatus::done);
    CHECK(gevent.file == "cells/gunicorn-gevent.cache_hit.sync.json");
    CHECK(gevent.metrics->count(Metric::requests_completed) == 26900);
    CHECK(*gevent.metrics->number(Metric::requests_per_sec) == Approx(2690.0));
    CHECK(*gevent.metrics->number(Metric::latency_p50_ms) == Approx(8.4).epsilon(0.001));
    CHECK(*gevent.metrics->number(Metric::latency_p99_ms) == Approx(12.0).epsilon(0.001));
    REQUIRE(gevent.metrics->number(Metric::cpu_seconds_per_1k));
    CHECK(*gevent.metrics->number(Metric::cpu_seconds_per_1k) == Approx(14.25 / 26900 * 1000));
    CHECK(gevent.load->result.latency.count() == 26900);  // the histogram came back whole

    const CellReport& errors = find_cell(run, "uvicorn.cache_hit.async");
    CHECK(errors.metrics->count(Metric::requests_failed) == 317);
    CHECK(errors.metrics->count(Metric::non_2xx_3xx) == 100);

    const CellReport& no_resources = find_cell(run, "gunicorn-gevent.cache_set.sync");
    CHECK_FALSE((*no_resources.metrics)[Metric::cpu_seconds_per_1k]);
    CHECK_FALSE((*no_resources.metrics)[Metric::peak_rss_bytes]);
}

TEST_CASE("a cell that failed before its load has a status and a reason but no metrics") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    const CellReport& failed = find_cell(run, "uvicorn.cache_set.async");
    CHECK(failed.status == EntryStatus::failed);
    CHECK(failed.failure_reason == "not ready within 30s (tcp 127.0.0.1:8000)");
    CHECK_FALSE(failed.load);
    CHECK_FALSE(failed.metrics);
    REQUIRE(failed.parameters.size() == 3);
    CHECK(failed.parameters[0].label == "ASGI Gunicorn Uvicorn");
}

TEST_CASE("a cell the run never reached is read from the manifest alone") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    fixture.manifest.status = RunStatus::interrupted;
    fixture.add_pending("gunicorn-gevent.cache_set.async");
    fixture.write_manifest();
    const RunReport run = read_run(fixture.path());
    const CellReport& pending = find_cell(run, "gunicorn-gevent.cache_set.async");
    CHECK(pending.status == EntryStatus::pending);
    CHECK_FALSE(pending.record);
    REQUIRE(pending.parameters.size() == 3);
    CHECK(pending.parameters[0].label == "WSGI Gunicorn Gevent");
    CHECK(pending.parameters[2].name == "async");
}

TEST_CASE("a directory without manifest.json is an error that names it") {
    RunFixture fixture;
    const std::string message = error_of(fixture.path());
    CHECK_THAT(message, Contains("no run manifest (manifest.json)"));
    CHECK_THAT(message, Contains(fixture.path()));
    CHECK_THAT(message, Contains("benchctl run"));
}

TEST_CASE("a cell file that does not parse is an error that names the file") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    fixture.write_raw("cells/uvicorn.cache_set.sync.json", "{\"schema\": \"benchctl.cell/1\",");
    const std::string message = error_of(fixture.path());
    CHECK_THAT(message, Contains("cells/uvicorn.cache_set.sync.json"));
    CHECK_THAT(message, Contains("not valid JSON"));
    CHECK_THAT(message, Contains("--resume"));
}

TEST_CASE("a cell file of another schema is an error that names the file") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    fixture.write_raw("cells/uvicorn.cache_set.sync.json", "{\"schema\": \"something/1\"}");
    CHECK_THAT(error_of(fixture.path()), Contains("cells/uvicorn.cache_set.sync.json"));
}

TEST_CASE("a done cell whose file is missing is an error") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    fixture.manifest.cells.push_back(
        {"ghost.cell.sync", 1, EntryStatus::done, "cells/ghost.cell.sync.json", ""});
    fixture.write_manifest();
    const std::string message = error_of(fixture.path());
    CHECK_THAT(message, Contains("cell 'ghost.cell.sync' has no result file"));
}

TEST_CASE("cell ids are matched to axis values, the longest name winning") {
    using benchctl::Axis;
    using benchctl::test::axis_value;
    const std::vector<Axis> axes = {
        {"server", {axis_value("server", "a", "A"), axis_value("server", "a.b", "AB")}},
        {"mode", {axis_value("mode", "sync", "Sync")}}};
    const auto values = benchctl::parameters_from_cell_id("a.b.sync", axes);
    REQUIRE(values.size() == 2);
    CHECK(values[0].label == "AB");
    CHECK(values[1].label == "Sync");
}
