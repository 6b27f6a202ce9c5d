#include "import/imported_run.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "import_test_support.hpp"
#include "report/formats/json_report.hpp"
#include "report/model/run_reader.hpp"
#include "report/report_renderer.hpp"
#include "scratch_dir.hpp"
#include "util/error.hpp"

using namespace benchctl;
using namespace benchctl::test;
using benchctl::testing::ScratchDir;
namespace fs = std::filesystem;

namespace {

ImportedRun import_sources(const std::vector<std::string>& names, ImportOptions options = {}) {
    std::vector<SourceText> sources;
    for (const std::string& name : names)
        sources.push_back(reference_source(name));
    return build_imported_run(sources, options, "run-1");
}

std::vector<std::string> axis_value_names(const Axis& axis) {
    std::vector<std::string> names;
    for (const AxisValue& value : axis.values)
        names.push_back(value.name);
    return names;
}

std::string rendered(const ScratchDir& dir, const ImportedRun& run, ReportOptions options) {
    write_imported_run(run, dir.file("run"));
    return render_report(read_run(dir.file("run")), options);
}

}  // namespace

TEST_CASE("source 000 becomes a run of 14 cells on three axes named by --axes") {
    ImportOptions options;
    options.axes = {"server", "endpoint", "mode"};
    const ImportedRun run = import_sources({k_source_000}, options);
    const RunManifest& m = run.manifest;
    CHECK(m.run_id == "run-1");
    CHECK(m.status == RunStatus::complete);
    CHECK(m.matrix_title == "Django Workers");
    CHECK(m.matrix_name == "000_9e3280e0d1fa8050");
    CHECK(m.matrix_sha256.empty());
    CHECK_FALSE(m.matrix_text.empty());
    REQUIRE(m.axes.size() == 3);
    CHECK(m.axes[0].name == "server");
    CHECK(axis_value_names(m.axes[0]) ==
          std::vector<std::string>{"wsgi-gunicorn-gevent", "asgi-gunicorn-uvicorn",
                                   "asgi-hypercorn-asyncio", "asgi-hypercorn-uvloop"});
    CHECK(m.axes[0].values[0].label == "WSGI Gunicorn Gevent");
    CHECK(axis_value_names(m.axes[2]) == std::vector<std::string>{"sync", "async"});
    REQUIRE(run.cells.size() == 14);
    CHECK(run.repeat == 1);
    CHECK(run.cells[0].cell_id == "wsgi-gunicorn-gevent.fake-redis-hit.sync");
    CHECK(m.cells[0].file == "cells/wsgi-gunicorn-gevent.fake-redis-hit.sync.json");
    CHECK(m.cells[0].status == EntryStatus::done);
    CHECK(run.cells[0].load->at("imported").at("format") == "wrk-text");
    CHECK(run.cells[0].load->at("histograms").is_null());
}

TEST_CASE("option --axes must name as many axes as the sources have levels, each once") {
    ImportOptions options;
    options.axes = {"server", "endpoint"};
    CHECK_THROWS_WITH(import_sources({k_source_000}, options),
                      Catch::Contains("2 axis names given") && Catch::Contains("3 levels"));
    options.axes = {"a", "b", "a"};
    CHECK_THROWS_WITH(import_sources({k_source_000}, options), Catch::Contains("given twice"));
}

TEST_CASE("plain files are named after themselves; the same labels again are repetitions") {
    const ImportedRun run = import_sources({k_source_002});
    CHECK(run.manifest.axes.at(0).name == "run");
    CHECK(run.cells.at(0).cell_id == "002_c0583614770cbc48-1");
    CHECK(run.cells.at(0).parameters.at(0).label == "002_c0583614770cbc48 #1");
    const ImportedRun twice = import_sources({k_source_001, k_source_001});
    CHECK(twice.repeat == 2);
    CHECK(twice.cells.size() == 12);
    CHECK(twice.cells[6].cell_id == "baseline_10ms");
    CHECK(twice.cells[6].repetition == 2);
    CHECK(twice.manifest.cells[6].file == "cells/baseline_10ms.rep2.json");
}

TEST_CASE("the written run renders back to source 000's blocks") {
    const ScratchDir dir("import");
    const std::string markdown = rendered(dir, import_sources({k_source_000}), ReportOptions{});
    const SourceText source = reference_source(k_source_000);
    CHECK(wrk_blocks(split_lines(markdown)) == wrk_blocks(source.lines));
    CHECK_THAT(markdown, Catch::StartsWith("# Django Workers\n") &&
                             Catch::Contains("\n## ASGI Hypercorn Uvloop\n") &&
                             Catch::Contains("\n#### Async\n"));
}

TEST_CASE("the written run renders back to source 002's siege summaries") {
    const ScratchDir dir("import");
    ReportOptions options;
    options.style = ReportStyle::siege;
    const std::string markdown = rendered(dir, import_sources({k_source_002}), options);
    CHECK(siege_blocks(split_lines(markdown)) ==
          siege_blocks(reference_source(k_source_002).lines));
}

TEST_CASE("the written run renders back every field of source 001 in its own shape") {
    const ScratchDir dir("import");
    ReportOptions options;
    options.format = ReportFormat::json;
    options.style = ReportStyle::gunicorn_bench;
    const auto back = nlohmann::json::parse(rendered(dir, import_sources({k_source_001}), options));
    const std::string text = reference_source(k_source_001).text;
    const auto source = nlohmann::json::parse(text.substr(text.find("{\n")));
    CHECK(back.at("timestamp") == source.at("timestamp"));
    REQUIRE(back.at("results").size() == 6);
    for (std::size_t i = 0; i < 6; ++i) {
        INFO(source["results"][i]["scenario"]);
        CHECK(back["results"][i] == source["results"][i]);
    }
}

TEST_CASE("the summary figures of imported cells are the recorded ones") {
    const ScratchDir dir("import");
    write_imported_run(import_sources({k_source_004}), dir.file("run"));
    const RunReport report = read_run(dir.file("run"));
    REQUIRE(report.cells.size() == 5);
    const CellMetrics& redo = *report.cells[3].metrics;
    CHECK(redo.number(Metric::requests_per_sec) == 2937.29);
    CHECK(redo.count(Metric::non_2xx_3xx) == 88230);
    CHECK(*redo.number(Metric::latency_p99_ms) == 11.11);
    CHECK(redo[Metric::latency_p50_ms]);
    CHECK_FALSE(redo[Metric::latency_min_ms]);
    CHECK_FALSE(redo[Metric::latency_p95_ms]);
    CHECK(report.cells[4].metrics->count(Metric::requests_failed) == 2787);
}

TEST_CASE("never writes into an existing run or any directory that is not empty") {
    const ScratchDir dir("import");
    const ImportedRun run = import_sources({k_source_002});
    write_imported_run(run, dir.file("run"));
    CHECK_THROWS_WITH(write_imported_run(run, dir.file("run")), Catch::Contains("not empty"));
    fs::create_directories(dir.file("other"));
    write_file_atomically(dir.file("other") + "/keep.txt", "mine");
    CHECK_THROWS_AS(write_imported_run(run, dir.file("other")), UserError);
    CHECK(fs::exists(dir.file("other") + "/keep.txt"));
}
