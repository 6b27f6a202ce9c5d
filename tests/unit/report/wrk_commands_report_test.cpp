// --style wrk-commands: source document 004's Markdown. The golden file
// tests/golden/report/wrk_commands.masked.md is the report of a run built like the source's
// (five endpoints, wrk -t4 -c8 -d30s --latency, one all non-2xx, one with read errors) with every
// number masked; after an intended change regenerate it with
//     BENCHCTL_UPDATE_GOLDEN=1 build/tests/unit_report_tests "[golden]"
// and review the diff. Each section's heading shape and first block, masked the same way, must
// equal the source's (tests/fixtures/reference/004_*.txt).

#include "report/formats/wrk_commands_report.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "report/model/run_reader.hpp"
#include "report/text/wrk_command_line.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::axis_value;
using benchctl::test::build_three_axis_run;
using benchctl::test::done_record;
using benchctl::test::result_with;
using benchctl::test::RunFixture;
using Catch::Matchers::Contains;

namespace {

constexpr const char* k_key = "authorize_key=d0f4ac8c14eae3a992aa574a55099e4f";

std::string wrk_text_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A line's shape: each number with the unit after it as N, runs of blanks as one.
std::string wrk_masked(const std::string& line) {
    static const std::regex number(R"(\d+(\.\d+)?[A-Za-z%]*)");
    static const std::regex blanks(R"(\s+)");
    return std::regex_replace(std::regex_replace(line, number, "N"), blanks, " ");
}

// A heading's shape: source 004's optional "-s <script>" and the URL's quotes aside.
bool is_wrk_heading(const std::string& line) {
    static const std::regex shape(
        R"(## wrk -d \d+s -t \d+ -c \d+ +(-s \S+ )?--latency ['"]?http://\S+\?authorize_key=\w+['"]?)");
    return std::regex_match(line, shape);
}

struct Section {
    std::string heading;
    std::vector<std::string> block;  // the first fenced block, masked
};

std::vector<Section> sections_of(const std::string& text) {
    std::vector<Section> sections;
    std::istringstream in(text);
    enum { before, inside, after } state = after;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("## ", 0) == 0) {
            sections.push_back({line, {}});
            state = before;
        } else if (line.rfind("```", 0) == 0 && state != after) {
            state = state == before ? inside : after;
        } else if (state == inside) {
            sections.back().block.push_back(wrk_masked(line));
        }
    }
    return sections;
}

LoadSettings wrk_settings(const std::string& path) {
    LoadSettings settings = test::duration_settings(
        std::string("http://127.0.0.1:8000") + path + "?" + k_key, 4, 8, 30);
    settings.print_latency_distribution = true;
    return settings;
}

// A run like the source's: create, do_job, get worker, redo (every answer 409), get job (read
// errors and 503s), each wrk -t4 -c8 -d30s --latency.
void build_source_004_run(RunFixture& fixture) {
    const std::pair<const char*, const char*> endpoints[] = {
        {"create", "/worker/create"},
        {"do_job", "/worker/65542/do_job"},
        {"get_worker", "/worker/65542"},
        {"redo", "/worker/65542/job/4904/redo"},
        {"get_job", "/worker/65542/job/4904"}};
    Axis axis{"endpoint", {}};
    for (const auto& [name, path] : endpoints)
        axis.values.push_back(axis_value("endpoint", name, ""));
    fixture.manifest.run_id = "20261130T083000Z-job-api";
    fixture.manifest.status = RunStatus::complete;
    fixture.manifest.matrix_title = "job-api";
    fixture.manifest.axes = {axis};
    fixture.manifest.benchctl_version = "0.1.0";
    fixture.manifest.started_at = "2026-11-30T08:30:00Z";
    for (std::size_t i = 0; i < axis.values.size(); ++i) {
        LoadResult result =
            result_with({{13'500, 9000}, {25'000, 4000}, {63'000, 536}}, 30.09, 1'950'000);
        result.thread_requests_per_sec = {113.03, 31.15, 170.0, 63.36};
        if (axis.values[i].name == "redo") {
            result.status_codes = {{409, 13536}};
        } else if (axis.values[i].name == "get_job") {
            result.status_codes = {{200, 13536 - 2788}, {503, 2788}};
            result.errors.read = 2787;
            result.requests = {13536 + 2787, 13536, 2787, 0};
        }
        fixture.add_cell(done_record({axis.values[i]}, 1, 1),
                         std::make_pair(wrk_settings(endpoints[i].second), std::move(result)));
    }
    fixture.write_manifest();
}

std::string wrk_commands_of(const std::string& run_dir) {
    ReportOptions options;
    options.style = ReportStyle::wrk_commands;
    return render_wrk_commands_report(read_run(run_dir), options, TemplateSet::built_in());
}

}  // namespace

TEST_CASE("a run shaped like source 004 renders the source's sections, numbers masked",
          "[golden]") {
    RunFixture fixture;
    build_source_004_run(fixture);
    const std::string report = wrk_commands_of(fixture.path());
    std::vector<Section> rendered = sections_of(report);
    const std::vector<Section> source =
        sections_of(wrk_text_of(std::string(BENCHCTL_REFERENCE_DIR) + "/004_ab4033540cefe33c.txt"));
    REQUIRE(source.size() == 5);
    REQUIRE(rendered.size() >= 5);
    rendered.resize(5);  // the environment follows
    for (std::size_t i = 0; i < 5; ++i) {
        INFO(rendered[i].heading);
        CHECK(is_wrk_heading(rendered[i].heading));
        CHECK(is_wrk_heading(source[i].heading));
        CHECK(rendered[i].block == source[i].block);
    }

    std::string masked_report;
    std::istringstream in(report);
    for (std::string line; std::getline(in, line);)
        masked_report += wrk_masked(line) + "\n";
    const std::string golden = std::string(BENCHCTL_GOLDEN_DIR) + "/wrk_commands.masked.md";
    if (std::getenv("BENCHCTL_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(golden, std::ios::binary) << masked_report;
        WARN("rewrote " << golden);
    }
    CHECK(masked_report == wrk_text_of(golden));
}

TEST_CASE("each heading is the cell's wrk command line, benchctl's accounting follows") {
    RunFixture fixture;
    build_source_004_run(fixture);
    const std::string report = wrk_commands_of(fixture.path());
    CHECK_THAT(report, Contains("\n## wrk -d 30s -t 4 -c 8 --latency "
                                "'http://127.0.0.1:8000/worker/65542/job/4904/redo?authorize_key="
                                "d0f4ac8c14eae3a992aa574a55099e4f'\n\nCell redo.\n\n```\n"
                                "Running 30s test @ "));
    CHECK_THAT(report, Contains("  Non-2xx or 3xx responses: 13536\nRequests/sec:"));
    CHECK_THAT(report, Contains("  Socket errors: connect 0, read 2787, write 0, timeout 0\n"
                                "  Non-2xx or 3xx responses: 2788\n"));
    CHECK_THAT(report, Contains("What wrk does not print (benchctl's accounting):\n\n```text\n"
                                "  Requests: 16323 started, 13536 completed, 2787 failed"));
}

TEST_CASE("a cell without measurement is headed by its id, with a note") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const std::string report = wrk_commands_of(fixture.path());
    CHECK_THAT(report, Contains("\n## uvicorn.cache_set.async\n\nCell uvicorn.cache_set.async "
                                "(ASGI Gunicorn Uvicorn, Fake cache set, Async): failed (not "
                                "ready within 30s (tcp 127.0.0.1:8000)). No measurement: the "
                                "cell has no load document.\n"));
    CHECK_THAT(report, Contains("\n## wrk -d 10s -t 4 -c 100 "
                                "http://127.0.0.1:8000/myapp/sync/cache_hit\n"));
}

TEST_CASE("the command line is wrk's while wrk can ask for the load, else benchctl load's") {
    LoadSettings settings = wrk_settings("/a");
    settings.print_latency_distribution = false;
    settings.headers = {{"Accept", "text/plain"}};
    settings.timeout = std::chrono::seconds(30);
    settings.rate_per_sec = 500;
    CHECK(wrk_command_line(settings) ==
          std::string("wrk -d 30s -t 4 -c 8 -R 500 --timeout 30s -H 'Accept: text/plain' "
                      "'http://127.0.0.1:8000/a?") +
              k_key + "'");
    settings = wrk_settings("/b");
    settings.stop_rule = StopRule::requests;
    settings.total_requests = 1000;
    settings.method = "POST";
    settings.body = "title=it's";
    CHECK(wrk_command_line(settings) ==
          std::string("benchctl load -n 1000 -t 4 -c 8 -m POST --body 'title=it'\\''s' --latency "
                      "'http://127.0.0.1:8000/b?") +
              k_key + "'");
    CHECK(shell_word("http://127.0.0.1:8000/x") == "http://127.0.0.1:8000/x");
}
