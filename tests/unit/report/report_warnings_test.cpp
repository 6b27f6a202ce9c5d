// Warnings (CellReport::warnings) reach every report format through the one list; and what
// reading a run back corrects: figures without binary noise, abandoned runs, bare-number labels.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "report/formats/csv_report.hpp"
#include "report/formats/json_report.hpp"
#include "report/model/run_reader.hpp"
#include "report/model/summary_table.hpp"
#include "report/report_options.hpp"
#include "report/report_renderer.hpp"
#include "results/run_manifest.hpp"
#include "run_fixture.hpp"
#include "util/file_lock.hpp"

using namespace benchctl;
using benchctl::test::RunFixture;

namespace {

// One cell "a" whose document carries a suspect ramp and a shared-cores note.
void build_warned_run(RunFixture& fixture) {
    fixture.manifest.status = RunStatus::complete;
    const AxisValue a = test::axis_value("server", "a", "A");
    fixture.manifest.axes = {{"server", {a}}};
    CellRecord record = test::done_record({a}, 1, 1);
    record.warnings = {
        {"ramp", WarningSeverity::suspect, "the first 2 s completed 85 requests/s against 305"},
        {"shared_cores", WarningSeverity::note, "the load client and the target share 2 CPUs"}};
    fixture.add_cell(record, std::pair{test::duration_settings("http://127.0.0.1:1/", 1, 1, 1),
                                       test::result_with({{315, 50}, {316, 50}}, 1.0, 100)});
    fixture.write_manifest();
}

std::string render(const RunReport& run, const std::string& format) {
    ReportOptions options;
    options.format = parse_report_format(format);
    options.style = parse_report_style("", options.format);
    return render_report(run, options);
}

}  // namespace

TEST_CASE("a cell's warnings are read from its document into the report's one list") {
    RunFixture fixture;
    build_warned_run(fixture);
    const RunReport run = read_run(fixture.path());
    REQUIRE(run.cells.front().warnings.size() == 2);
    CHECK(run.cells.front().warnings[0].code == "ramp");
    CHECK(is_suspect(run.cells.front()));
    CHECK(status_text(run.cells.front()) == "done (suspect)");
}

TEST_CASE("warnings show in the Markdown, HTML, CSV and JSON reports") {
    RunFixture fixture;
    build_warned_run(fixture);
    const RunReport run = read_run(fixture.path());
    const std::string markdown = render(run, "md");
    CHECK(markdown.find("| A | done (suspect) |") != std::string::npos);
    CHECK(markdown.find("## Warnings") != std::string::npos);
    CHECK(markdown.find("- a, suspect `ramp`: the first 2 s completed 85 requests/s against 305") !=
          std::string::npos);
    CHECK(markdown.find("- a, note `shared_cores`: ") != std::string::npos);

    const std::string html = render(run, "html");
    CHECK(html.find("<section id=\"warnings\">") != std::string::npos);
    CHECK(html.find("<li class=\"suspect\"><code>a</code>, suspect <code>ramp</code>") !=
          std::string::npos);
    CHECK(html.find("<tr class=\"done suspect warned\"") != std::string::npos);

    const std::string csv = render(run, "csv");
    CHECK(csv.find(",warnings,warning_messages\r\n") != std::string::npos);
    CHECK(csv.find(",ramp;shared_cores,suspect ramp: the first 2 s completed 85 requests/s "
                   "against 305 | note shared_cores: ") != std::string::npos);

    const nlohmann::json json = nlohmann::json::parse(render(run, "json"));
    const nlohmann::json& warnings = json["rows"][0]["warnings"];
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0] ==
          nlohmann::json{{"code", "ramp"},
                         {"severity", "suspect"},
                         {"message", "the first 2 s completed 85 requests/s against 305"}});
    CHECK(warnings[1]["severity"] == "note");
}

TEST_CASE("a report without warnings has no warnings section") {
    RunFixture fixture;
    test::build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    CHECK(render(run, "md").find("## Warnings") == std::string::npos);
    CHECK(nlohmann::json::parse(render(run, "json"))["rows"][0]["warnings"] ==
          nlohmann::json::array());
}

TEST_CASE("CSV and JSON figures have the metric table's precision, not binary noise") {
    RunFixture fixture;
    build_warned_run(fixture);
    const RunReport run = read_run(fixture.path());
    // A mean of 315.5 us and 1/3 of a second per request: doubles that print with noise.
    const std::string csv = render(run, "csv");
    CHECK(csv.find("0.3155,") != std::string::npos);
    CHECK(csv.find("00000000") == std::string::npos);
    const MetricDescriptor& mean = describe(Metric::latency_mean_ms);
    CHECK(machine_text(mean, 0.31566000000000005) == "0.31566");
    CHECK(machine_text(mean, 2.0) == "2");
    CHECK(machine_text(describe(Metric::requests_started), std::uint64_t{26900}) == "26900");
    CHECK(std::get<double>(rounded(mean, 0.31566000000000005)) == 0.31566);
    const nlohmann::json json = nlohmann::json::parse(render(run, "json"));
    CHECK(json["rows"][0]["figures"]["latency_ms"]["mean"].dump() == "0.3155");
}

TEST_CASE("a manifest that says running is abandoned once no process holds the run's lock") {
    RunFixture fixture;
    build_warned_run(fixture);
    fixture.manifest.status = RunStatus::running;
    fixture.write_manifest();
    CHECK(read_run(fixture.path()).manifest.status == RunStatus::abandoned);
    {
        std::optional<FileLock> lock =
            FileLock::try_take(run_lock_path(fixture.path()), R"({"pid": 1})");
        REQUIRE(lock);
        CHECK(read_run(fixture.path()).manifest.status == RunStatus::running);
    }
    CHECK(render(read_run(fixture.path()), "md").find("(abandoned)") != std::string::npos);
}

TEST_CASE("an old run's bare number label reads as axis=value") {
    RunFixture fixture;
    const AxisValue one = test::axis_value("workers", "1", "1");
    const AxisValue named = test::axis_value("workers", "many", "many");
    fixture.manifest.axes = {{"workers", {one, named}}};
    fixture.add_cell(test::done_record({one}, 1, 1), std::nullopt);
    fixture.add_cell(test::done_record({named}, 1, 1), std::nullopt);
    fixture.write_manifest();
    const RunReport run = read_run(fixture.path());
    CHECK(run.manifest.axes[0].values[0].label == "workers=1");
    CHECK(run.manifest.axes[0].values[1].label == "many");
    CHECK(run.cells[0].parameters[0].label == "workers=1");
    const std::string markdown = render(run, "md");
    CHECK(markdown.find("## workers=1") != std::string::npos);
    CHECK(markdown.find("## 1\n") == std::string::npos);
}

TEST_CASE("a manifest whose cell file leaves the run directory is refused") {
    RunFixture fixture;
    build_warned_run(fixture);
    fixture.manifest.cells[0].file = "../../../etc/passwd";
    fixture.write_manifest();
    CHECK_THROWS_WITH(read_run(fixture.path()),
                      Catch::Contains("field cells[0].file ('../../../etc/passwd') must be a path "
                                      "inside the run directory"));
    fixture.manifest.cells[0].file = "/etc/passwd";
    fixture.write_manifest();
    CHECK_THROWS_WITH(read_run(fixture.path()), Catch::Contains("inside the run directory"));
}
