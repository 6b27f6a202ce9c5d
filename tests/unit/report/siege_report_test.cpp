// --style siege: source document 002's text layout. The golden file
// tests/golden/report/siege_report.masked.txt is the report of a run built like the source's
// (four servers, 25 users, the first with five read errors) with every number masked; after an
// intended change regenerate it with
//     BENCHCTL_UPDATE_GOLDEN=1 build/tests/unit_report_tests "[golden]"
// and review the diff. Each item's block, masked the same way, must equal the source's
// (tests/fixtures/reference/002_*.txt) from the banner on.

#include "report/formats/siege_report.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "report/model/run_reader.hpp"
#include "report/text/siege_transcript.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::axis_value;
using benchctl::test::build_three_axis_run;
using benchctl::test::done_record;
using benchctl::test::result_with;
using benchctl::test::RunFixture;
using Catch::Matchers::Contains;

namespace {

std::string siege_text_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> siege_lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// A line's shape: numbers as N, runs of blanks as one, no indentation.
std::string masked_line(const std::string& line) {
    static const std::regex number(R"(\d+(\.\d+)?)");
    static const std::regex blanks(R"(\s+)");
    std::string out = std::regex_replace(line, number, "N");
    out = std::regex_replace(out, blanks, " ");
    return out.empty() || out[0] != ' ' ? out : out.substr(1);
}

// Each numbered item's literal block ("1. ...::" then indented lines), masked, without its
// command line (the source's is its own script).
std::vector<std::vector<std::string>> item_blocks(const std::string& text) {
    static const std::regex item(R"(^\d+\. .*::$)");
    std::vector<std::vector<std::string>> blocks;
    bool in_item = false;
    for (const std::string& line : siege_lines_of(text)) {
        if (std::regex_match(line, item)) {
            blocks.emplace_back();
            in_item = true;
        } else if (in_item && !line.empty() && line[0] != ' ') {
            in_item = false;
        } else if (in_item && !line.empty() && masked_line(line).rfind("$ ", 0) != 0) {
            blocks.back().push_back(masked_line(line));
        }
    }
    return blocks;
}

LoadSettings siege_settings(unsigned port) {
    LoadSettings settings =
        test::duration_settings(fmt::format("http://127.0.0.1:{}/", port), 1, 25, 60);
    settings.timeout = std::chrono::seconds(30);
    return settings;
}

// A run like the source's: four servers, 25 users for 60 s; the first server's listen backlog
// reset five connections.
void build_source_002_run(RunFixture& fixture) {
    const AxisValue servers[] = {
        axis_value("server", "sync", "Synchronous HTTP server"),
        axis_value("server", "async", "Asynchronous Tornado server, the task on the I/O loop"),
        axis_value("server", "thread", "Tornado server, the task in a ThreadPoolExecutor"),
        axis_value("server", "process", "Tornado server, the task in a ProcessPoolExecutor")};
    fixture.manifest.run_id = "20261130T082000Z-tornado-longtask";
    fixture.manifest.status = RunStatus::complete;
    fixture.manifest.matrix_title =
        "Benchmarks of running a long-term process within an HTTP server";
    fixture.manifest.axes = {{"server", {servers[0], servers[1], servers[2], servers[3]}}};
    fixture.manifest.benchctl_version = "0.1.0";
    fixture.manifest.started_at = "2026-11-30T08:20:00Z";
    LoadResult sync = result_with({{2'810'000, 1}, {17'000'000, 19}, {19'630'000, 1}}, 59.76, 0);
    sync.requests = {26, 21, 5, 0};
    sync.errors.read = 5;
    fixture.add_cell(done_record({servers[0]}, 1, 1), std::make_pair(siege_settings(8000), sync));
    const std::uint64_t counts[] = {209, 840, 35470};
    for (int i = 1; i < 4; ++i) {
        LoadResult result = result_with({{280'000, 1}, {1'730'000, counts[i - 1] - 1}}, 59.1, 0);
        fixture.add_cell(done_record({servers[i]}, 1, 1),
                         std::make_pair(siege_settings(8000 + i), result));
    }
    fixture.write_manifest();
}

std::string siege_report_of(const std::string& run_dir) {
    ReportOptions options;
    options.style = ReportStyle::siege;
    return render_siege_report(read_run(run_dir), options, TemplateSet::built_in());
}

}  // namespace

TEST_CASE("a run shaped like source 002 renders the source's blocks, numbers masked", "[golden]") {
    RunFixture fixture;
    build_source_002_run(fixture);
    const std::string report = siege_report_of(fixture.path());
    const auto source = item_blocks(
        siege_text_of(std::string(BENCHCTL_REFERENCE_DIR) + "/002_c0583614770cbc48.txt"));
    REQUIRE(source.size() == 4);
    CHECK(item_blocks(report) == source);

    std::string masked_report;
    for (const std::string& line : siege_lines_of(report))
        masked_report += masked_line(line) + "\n";
    const std::string golden = std::string(BENCHCTL_GOLDEN_DIR) + "/siege_report.masked.txt";
    if (std::getenv("BENCHCTL_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(golden, std::ios::binary) << masked_report;
        WARN("rewrote " << golden);
    }
    CHECK(masked_report == siege_text_of(golden));
}

TEST_CASE("the siege report numbers its items and heads each with its labels and command") {
    RunFixture fixture;
    build_source_002_run(fixture);
    const std::string report = siege_report_of(fixture.path());
    CHECK_THAT(report,
               Contains("Benchmarks of running a long-term process within an HTTP server\n"
                        "===============================================================\n"));
    CHECK_THAT(report, Contains("\n1. Synchronous HTTP server (``sync``)::\n\n"
                                "    $ siege -b -c 25 -t 60S http://127.0.0.1:8000/\n"
                                "    ** SIEGE 4.0.2\n"
                                "    ** Preparing 25 concurrent users for battle.\n"
                                "    The server is now under siege...[error] socket: read error"));
    CHECK_THAT(report, Contains("peer\n\n    Lifting the server siege...\n"));
    CHECK_THAT(report, Contains("\n4. Tornado server, the task in a ProcessPoolExecutor "
                                "(``process``)::\n"));
    CHECK_THAT(report, Contains("    The server is now under siege...\n"
                                "    Lifting the server siege...\n"
                                "    Transactions:              35470 hits\n"));
}

TEST_CASE("a cell without measurement is an item with a note, and listed as failed") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const std::string report = siege_report_of(fixture.path());
    CHECK_THAT(report, Contains("(``uvicorn.cache_set.async``)\n\n   No measurement: the cell "
                                "failed before its load (not ready within 30s (tcp "
                                "127.0.0.1:8000)).\n"));
    CHECK_THAT(report, Contains("Failed cells\n------------\n"));
    CHECK_THAT(report, Contains("Environment\n-----------\n"));
}

TEST_CASE("siege's command line follows the stop rule") {
    LoadSettings settings = siege_settings(8000);
    CHECK(siege_command_line(settings) == "siege -b -c 25 -t 60S http://127.0.0.1:8000/");
    settings.duration = std::chrono::milliseconds(2500);
    CHECK(siege_command_line(settings) == "siege -b -c 25 -t 2.5S http://127.0.0.1:8000/");
    settings.stop_rule = StopRule::iterations;
    settings.iterations = 40;
    CHECK(siege_command_line(settings) == "siege -b -c 25 -r 40 http://127.0.0.1:8000/");
    settings.stop_rule = StopRule::requests;
    settings.total_requests = 1001;
    CHECK(siege_command_line(settings) == "siege -b -c 25 -r 41 http://127.0.0.1:8000/");
}

TEST_CASE("siege's error lines follow the failure kinds and stop at the limit") {
    LoadResult result;
    result.errors.connect = 1;
    result.errors.timeout = 2;
    result.errors.read = 3;
    const LoadSettings settings = siege_settings(8000);
    const auto lines = siege_error_lines(result, settings, 4);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "[error] socket: unable to connect sock.c:249: Connection refused");
    CHECK(lines[1] ==
          "[error] socket: read error Connection reset by peer sock.c:539: Connection reset by "
          "peer");
    CHECK(lines[3] ==
          "[error] socket: read error Connection reset by peer sock.c:539: "
          "Connection reset by peer");
    CHECK(lines[4] == "... 2 more socket errors");
    CHECK(siege_error_lines(result, settings, 10)[4] ==
          "[alert] socket: read check timed out(30) sock.c:240: Connection timed out");
    const LoadResult none;
    CHECK(siege_error_lines(none, settings, 10).empty());
}
