// The Markdown report, checked against a golden file and piece by piece.
//
// The golden file tests/golden/report/three_axis_run.md is the whole report of the fixture run
// built by build_three_axis_run(). After an intended change to the report, regenerate it with
//
//     BENCHCTL_UPDATE_GOLDEN=1 build/tests/unit_report_tests "[golden]"
//
// and review the diff (git diff tests/golden/) before committing it.

#include "report/formats/markdown_report.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "report/model/run_reader.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::build_three_axis_run;
using benchctl::test::RunFixture;
using Catch::Matchers::Contains;

namespace {

std::string markdown_of(const RunReport& run, ReportOptions options = {}) {
    return render_markdown_report(run, options, TemplateSet::built_in());
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

std::size_t position_of(const std::string& text, const std::string& part) {
    const std::size_t at = text.find(part);
    INFO(part);
    REQUIRE(at != std::string::npos);
    return at;
}

}  // namespace

TEST_CASE("the Markdown report of a 3-axis run matches its golden file", "[golden]") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const std::string markdown = markdown_of(read_run(fixture.path()));
    const std::string golden = std::string(BENCHCTL_GOLDEN_DIR) + "/three_axis_run.md";
    if (std::getenv("BENCHCTL_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(golden, std::ios::binary) << markdown;
        WARN("rewrote " << golden);
    }
    CHECK(markdown == read_text(golden));
}

TEST_CASE("the report starts with the title and the summary table, then source 000's hierarchy") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const std::string md = markdown_of(read_run(fixture.path()));
    CHECK(md.rfind("# Django Workers\n", 0) == 0);
    CHECK(has_line(md,
                   "| server | endpoint | mode | status | requests/sec | p50 | p99 | failures "
                   "| non-2xx/3xx | CPU s / 1k req | peak RSS | relative |"));
    CHECK(has_line(md, "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"));
    CHECK(has_line(md,
                   "| ASGI Gunicorn Uvicorn | Fake cache set | Async | failed | — | — | — | — "
                   "| — | — | — | — |"));
    const std::size_t table = position_of(md, "| WSGI Gunicorn Gevent | Fake redis hit | Sync |");
    const std::size_t gevent = position_of(md, "\n## WSGI Gunicorn Gevent\n");
    const std::size_t uvicorn = position_of(md, "\n## ASGI Gunicorn Uvicorn\n");
    const std::size_t failures = position_of(md, "\n## Failed cells\n");
    const std::size_t environment = position_of(md, "\n## Environment\n");
    CHECK(table < gevent);
    CHECK(gevent < uvicorn);
    CHECK(uvicorn < failures);
    CHECK(failures < environment);
}

TEST_CASE("each leaf holds the cell's wrk text block with its socket errors") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const std::string md = markdown_of(read_run(fixture.path()));
    CHECK_THAT(md, Contains("#### Async\n\n```text\nRunning 10s test @ "
                            "http://127.0.0.1:8000/myapp/async/cache_hit\n  4 threads and 100 "
                            "connections\n"));
    CHECK(has_line(md, "  Socket errors: connect 0, read 0, write 0, timeout 317"));
    CHECK(has_line(md, "  Non-2xx or 3xx responses: 100"));
    CHECK(has_line(md, "Requests/sec:   2690.00"));
}

TEST_CASE("a failed cell is listed with its reason and log tail, and the environment follows") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const std::string md = markdown_of(read_run(fixture.path()));
    CHECK(has_line(md,
                   "No measurement: the cell failed before its load (not ready within 30s "
                   "(tcp 127.0.0.1:8000))."));
    CHECK(has_line(md, "### uvicorn.cache_set.async"));
    CHECK(has_line(md, "ModuleNotFoundError: No module named 'uvloop'"));
    CHECK(has_line(md, "- CPU: Intel(R) Xeon(R) CPU @ 2.20GHz"));
    CHECK(has_line(md, "- Memory: 8.0 GiB"));
    CHECK(has_line(md,
                   "- Matrix sha256: "
                   "9e3280e0d1fa80509e3280e0d1fa80509e3280e0d1fa80509e3280e0d1fa8050"));
    CHECK(has_line(md, "- Overrides: defaults.load.duration=10s"));
    CHECK(has_line(md,
                   "- Tool version: gunicorn (version 21.2.0) (gunicorn-gevent.cache_hit.sync, "
                   "uvicorn.cache_hit.sync)"));
}

TEST_CASE("option --style siege shows each leaf as siege's summary") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    ReportOptions options;
    options.style = ReportStyle::siege;
    const std::string md = markdown_of(read_run(fixture.path()), options);
    CHECK(has_line(md, "Transactions:              26900 hits"));
    CHECK(has_line(md, "Failed transactions:         417"));  // 100 HTTP 503 + 317 timeouts
    CHECK_FALSE(md.find("Running 10s test") != std::string::npos);
}

TEST_CASE("table cells and headings escape Markdown's syntax, code blocks keep text as is") {
    RunFixture fixture;
    const AxisValue odd = test::axis_value("server", "odd", "a|b `c` <script>");
    fixture.manifest.axes = {{"server", {odd}}};
    CellRecord record = test::done_record({odd}, 1, 1);
    record.status = CellStatus::failed;
    record.failure_reason = "exit 1 | see log";
    record.log_tail = "```\nbroken | fence\n";
    fixture.add_cell(record, std::nullopt);
    fixture.write_manifest();
    const std::string md = markdown_of(read_run(fixture.path()));
    CHECK(has_line(md, "| a\\|b \\`c\\` &lt;script> | failed | — | — | — | — | — | — | — | — |"));
    CHECK(has_line(md, "## a\\|b \\`c\\` &lt;script>"));
    CHECK_THAT(md, Contains("Reason: exit 1 \\| see log."));
    CHECK_THAT(md, Contains("````text\n```\nbroken | fence\n````\n"));
}

TEST_CASE("option --group-by changes the nesting of the headings") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    ReportOptions options;
    options.group_by = {"endpoint", "mode"};
    const std::string md = markdown_of(read_run(fixture.path()), options);
    CHECK(position_of(md, "\n## Fake redis hit\n") < position_of(md, "\n## Fake cache set\n"));
    CHECK(has_line(md, "### Sync"));
    CHECK(has_line(md, "#### WSGI Gunicorn Gevent"));
    CHECK(has_line(md,
                   "| endpoint | mode | server | status | requests/sec | p50 | p99 | failures "
                   "| non-2xx/3xx | CPU s / 1k req | peak RSS | relative |"));
}

TEST_CASE("a repeated cell holds one announced block per repetition; an interrupted one says so") {
    RunFixture fixture;
    const AxisValue a = test::axis_value("server", "a", "Server A");
    fixture.manifest.axes = {{"server", {a}}};
    for (unsigned rep = 1; rep <= 2; ++rep) {
        CellRecord record = test::done_record({a}, 1, 1);
        record.repetition = rep;
        if (rep == 2) {
            record.status = CellStatus::interrupted;
            record.failure_reason = "SIGINT";
        }
        fixture.add_cell(record,
                         std::make_pair(test::duration_settings("http://127.0.0.1:1/", 1, 1, 1),
                                        test::result_with({{1000, 10}}, 1, 1)));
    }
    fixture.write_manifest();
    const std::string md = markdown_of(read_run(fixture.path()));
    CHECK_THAT(md, Contains("## Server A\n\nRepetition 1 of 2.\n\n```text\nRunning 1s test"));
    CHECK_THAT(md,
               Contains("\nRepetition 2 of 2. Interrupted: SIGINT.\n\n```text\nRunning 1s test"));
    // One summary row for the cell: the repetition that counts, its spread (none from one value).
    CHECK(has_line(md,
                   "| server | reps | status | requests/sec | req/s CV | req/s 95% CI | p50 | "
                   "p99 | failures | non-2xx/3xx | CPU s / 1k req | peak RSS | relative |"));
    CHECK(has_line(md,
                   "| Server A | 1/2 | interrupted | 10.00 | — | — | 1.00 ms | 1.00 ms | 0 | "
                   "0 | 100.000 | 1 B | 1.00x |"));
    CHECK(has_line(md, "### a (repetition 2)"));
    ReportOptions per_repetition;
    per_repetition.per_repetition = true;
    const std::string rows = markdown_of(read_run(fixture.path()), per_repetition);
    CHECK(has_line(rows,
                   "| Server A | 2 | interrupted | 10.00 | 1.00 ms | 1.00 ms | 0 | 0 | 100.000 "
                   "| 1 B | 1.00x |"));
}
