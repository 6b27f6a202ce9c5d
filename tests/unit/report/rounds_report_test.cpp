// --style rounds: source document 003's results. The golden file
// tests/golden/report/rounds.masked.md is the report of a run built like the source's (workers
// 1..3 as rounds x Express under PM2 and DRF under gunicorn, 10 users x 1000 POSTs) with every
// number masked; after an intended change regenerate it with
//     BENCHCTL_UPDATE_GOLDEN=1 build/tests/unit_report_tests "[golden]"
// and review the diff. Each round's lines, reduced to their shapes, must equal the source's
// (tests/fixtures/reference/003_*.txt, its three rounds).

#include "report/formats/rounds_report.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "report/model/run_reader.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::axis_value;
using benchctl::test::build_three_axis_run;
using benchctl::test::done_record;
using benchctl::test::result_with;
using benchctl::test::RunFixture;
using Catch::Matchers::Contains;

namespace {

std::string rounds_text_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string rounds_masked(const std::string& line) {
    static const std::regex number(R"(\d+(,\d{3})*(\.\d+)?)");
    return std::regex_replace(line, number, "N");
}

// Each round's result lines as shapes: numbers masked, a command line as "(```command```)",
// blockquotes as ">", other prose left out; `with_rate` keeps "Write requests per second".
std::vector<std::vector<std::string>> round_shapes(const std::string& text, bool with_rate) {
    std::vector<std::vector<std::string>> rounds;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("##### Round ", 0) == 0) {
            rounds.emplace_back();
        } else if (line.rfind("#", 0) == 0) {
            if (!rounds.empty() && rounds.size() >= 3)
                break;
        } else if (!rounds.empty()) {
            if (line.rfind("> ", 0) == 0)
                rounds.back().push_back(">");
            else if (line.rfind("Time taken for ", 0) == 0 ||
                     (with_rate && line.rfind("Write requests per second", 0) == 0))
                rounds.back().push_back(rounds_masked(line));
            else if (line.rfind("(```", 0) == 0)
                rounds.back().push_back("(```command```)");
        }
    }
    return rounds;
}

// A run like the source's: workers 1..3 (the rounds) x Express under PM2 and DRF under gunicorn,
// each cell 10 users x 1000 POSTs.
void build_source_003_run(RunFixture& fixture) {
    Axis workers{
        "workers",
        {axis_value("workers", "1", "no extra workers"), axis_value("workers", "2", "2 workers"),
         axis_value("workers", "3", "3 workers")}};
    Axis server{"server",
                {axis_value("server", "express", "NodeJs running on PM2"),
                 axis_value("server", "drf", "Django running on Gunicorn")}};
    fixture.manifest.run_id = "20261130T084000Z-express-vs-drf";
    fixture.manifest.status = RunStatus::complete;
    fixture.manifest.matrix_title = "NodeJs (ExpressJs) vs Django Python3";
    fixture.manifest.axes = {workers, server};
    fixture.manifest.benchctl_version = "0.1.0";
    fixture.manifest.started_at = "2026-11-30T08:40:00Z";
    for (const AxisValue& w : workers.values) {
        for (const AxisValue& s : server.values) {
            LoadSettings settings =
                test::duration_settings("http://127.0.0.1:8080/api/tasks/", 2, 10, 10);
            settings.stop_rule = StopRule::iterations;
            settings.iterations = 1000;
            settings.method = "POST";
            CellRecord record = done_record({w, s}, 1, 1);
            record.command =
                s.name == "express"
                    ? std::vector<std::string>{"pm2-runtime", "start", "app.js", "-i", w.name}
                    : std::vector<std::string>{"gunicorn", "task_management.wsgi", "-b",
                                               "127.0.0.1:8001", "--workers=" + w.name};
            fixture.add_cell(
                record, std::make_pair(settings, result_with({{3'600, 10'000}}, 36.42, 2'000'000)));
        }
    }
    fixture.write_manifest();
}

std::string rounds_of(const std::string& run_dir) {
    ReportOptions options;
    options.style = ReportStyle::rounds;
    return render_rounds_report(read_run(run_dir), options, TemplateSet::built_in());
}

}  // namespace

TEST_CASE("a run shaped like source 003 renders the source's rounds, numbers masked", "[golden]") {
    RunFixture fixture;
    build_source_003_run(fixture);
    const std::string report = rounds_of(fixture.path());
    const std::string source =
        rounds_text_of(std::string(BENCHCTL_REFERENCE_DIR) + "/003_8e9e3084358b0816.txt");
    const auto source_rounds = round_shapes(source, true);
    const auto rendered_rounds = round_shapes(report, true);
    REQUIRE(source_rounds.size() == 3);
    REQUIRE(rendered_rounds.size() == 3);
    // Round 1 in full; the source left "Write requests per second" out of rounds 2 and 3.
    CHECK(rendered_rounds[0] == source_rounds[0]);
    CHECK(round_shapes(report, false) == round_shapes(source, false));

    std::string masked_report;
    std::istringstream in(report);
    for (std::string line; std::getline(in, line);)
        masked_report += rounds_masked(line) + "\n";
    const std::string golden = std::string(BENCHCTL_GOLDEN_DIR) + "/rounds.masked.md";
    if (std::getenv("BENCHCTL_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(golden, std::ios::binary) << masked_report;
        WARN("rewrote " << golden);
    }
    CHECK(masked_report == rounds_text_of(golden));
}

TEST_CASE("each cell of a round gives its time for its write requests and writes per second") {
    RunFixture fixture;
    build_source_003_run(fixture);
    const std::string report = rounds_of(fixture.path());
    CHECK_THAT(report, Contains("\n##### Round 2: 2 workers\n\n> NodeJs running on PM2 "
                                "(`2.express`)\n"));
    CHECK_THAT(report, Contains("\n> Django running on Gunicorn (`2.drf`)\n\nTime taken for "
                                "10,000 write requests: **36.42 seconds**\nWrite requests per "
                                "second: 274.57\n(```gunicorn task_management.wsgi -b "
                                "127.0.0.1:8001 --workers=2```)\n"));
    CHECK_FALSE(report.find("Not written") != std::string::npos);
}

TEST_CASE("the outermost --group-by axis is the round; failures and failed cells are shown") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    ReportOptions options;
    options.style = ReportStyle::rounds;
    options.group_by = {"endpoint"};
    const std::string report =
        render_rounds_report(read_run(fixture.path()), options, TemplateSet::built_in());
    CHECK_THAT(report, Contains("one round per value of endpoint."));
    CHECK_THAT(report, Contains("\n##### Round 1: Fake redis hit\n"));
    CHECK_THAT(report, Contains("\n##### Round 2: Fake cache set\n"));
    CHECK_THAT(report, Contains("> ASGI Gunicorn Uvicorn, Async (`uvicorn.cache_hit.async`)\n\n"
                                "Time taken for 6,035 write requests: **10.10 seconds**\n"
                                "Write requests per second: 597.52\n"
                                "Not written: 317 failed requests, 100 non-2xx/3xx responses\n"));
    CHECK_THAT(report, Contains("(`uvicorn.cache_set.async`)\n\nNo measurement: the cell failed "
                                "before its load (not ready within 30s (tcp 127.0.0.1:8000)).\n"));
}
