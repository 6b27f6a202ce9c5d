// Repeated cells in every format: one row per cell with its medians and spread, the "noisy"
// warning above the noise limit, the Repetitions section, CSV's spread columns, JSON's
// statistics and samples, and the HTML chart's dot per repetition.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/formats/csv_report.hpp"
#include "report/formats/html_report.hpp"
#include "report/formats/json_report.hpp"
#include "report/formats/markdown_report.hpp"
#include "report/model/report_view.hpp"
#include "report/model/run_reader.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::RunFixture;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using nlohmann::json;

namespace {

// Two cells of six repetitions, one second each, so requests/sec is the number of requests:
// "noisy" at 100, 110, 90, 120, 80, 100 (CV 14.1 %), "steady" at 1000, 1010, 990, 1000, 1005,
// 995 (CV 0.7 %). The steady cell's sixth repetition failed in `with_failure`.
void build_repeated_run(RunFixture& fixture, bool with_failure = false,
                        bool with_warnings = false) {
    const AxisValue noisy = test::axis_value("server", "noisy", "Noisy");
    const AxisValue steady = test::axis_value("server", "steady", "Steady");
    fixture.manifest.run_id = "20261124T000000Z-repeated";
    fixture.manifest.status = RunStatus::complete;
    fixture.manifest.axes = {{"server", {noisy, steady}}};
    const std::uint64_t noisy_counts[] = {100, 110, 90, 120, 80, 100};
    const std::uint64_t steady_counts[] = {1000, 1010, 990, 1000, 1005, 995};
    for (unsigned rep = 1; rep <= 6; ++rep) {
        for (const auto& [value, counts] :
             {std::pair{noisy, noisy_counts}, std::pair{steady, steady_counts}}) {
            CellRecord record = test::done_record({value}, 0.5, 1 << 20);
            record.repetition = rep;
            if (with_warnings && value.name == "steady") {
                record.warnings.push_back(
                    {"shared_cores", WarningSeverity::note, "the client and target share 2 CPUs"});
                if (rep == 2 || rep == 5)
                    record.warnings.push_back({"ramp", WarningSeverity::suspect,
                                               "ramp in repetition " + std::to_string(rep)});
            }
            const bool fail = with_failure && value.name == "steady" && rep == 6;
            if (fail) {
                record.status = CellStatus::failed;
                record.failure_reason = "the target exited with code 1 during the load";
            }
            fixture.add_cell(record,
                             std::make_pair(test::duration_settings("http://127.0.0.1:1/", 1, 1, 1),
                                            test::result_with({{2000, counts[rep - 1]}}, 1, 1000)));
        }
    }
    fixture.write_manifest();
}

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string got; std::getline(in, got);) {
        if (got == line)
            return true;
    }
    return false;
}

}  // namespace

TEST_CASE("a repeated cell's figures are one sample each: median, range, interval and CV") {
    RunFixture fixture;
    build_repeated_run(fixture);
    const RunReport run = read_run(fixture.path());
    const ReportView view = build_report_view(run, {});
    REQUIRE(view.per_cell);
    REQUIRE(view.repeated.size() == 2);
    const RepeatedCell& noisy = view.repeated[0];
    CHECK(noisy.cell_id == "noisy");
    CHECK(noisy.repetitions.size() == 6);
    CHECK(noisy.measured == 6);
    CHECK(noisy.samples_of(Metric::requests_per_sec) ==
          std::vector<double>{100, 110, 90, 120, 80, 100});
    const RepetitionSummary& rate = *noisy.statistics_of(Metric::requests_per_sec);
    CHECK(rate.median == 100);
    CHECK(rate.min == 80);
    CHECK(rate.max == 120);
    CHECK(*rate.cv == Approx(0.14142).epsilon(1e-4));
    REQUIRE(rate.median_ci);
    CHECK(rate.median_ci->low == 80);
    CHECK(rate.median_ci->high == 120);
    CHECK(noisy.medians.number(Metric::requests_per_sec) == 100);
    REQUIRE(noisy.warnings.size() == 1);
    CHECK(noisy.warnings[0].code == "noisy");
    CHECK(noisy.warnings[0].severity == WarningSeverity::suspect);
    CHECK_THAT(noisy.warnings[0].message,
               Contains("requests/sec varies by 14.1% (coefficient of variation) over 6 "
                        "repetitions, above the noise limit of 5.0%"));
    CHECK(view.repeated[1].warnings.empty());
}

TEST_CASE("the noise limit decides which repeated cells are noisy") {
    RunFixture fixture;
    build_repeated_run(fixture);
    const RunReport run = read_run(fixture.path());
    ReportOptions options;
    options.noise_limit = 0.15;
    CHECK(build_report_view(run, options).repeated[0].warnings.empty());
    options.noise_limit = 0.005;
    CHECK(build_report_view(run, options).repeated[1].warnings.size() == 1);
}

TEST_CASE("a repeated run's summary has one row per cell with medians and spread") {
    RunFixture fixture;
    build_repeated_run(fixture, true);
    const std::string md =
        render_markdown_report(read_run(fixture.path()), {}, TemplateSet::built_in());
    CHECK(has_line(md,
                   "| server | reps | status | requests/sec | req/s CV | req/s 95% CI | p50 | "
                   "p99 | failures | non-2xx/3xx | CPU s / 1k req | peak RSS | relative | "
                   "warnings |"));
    CHECK(has_line(md,
                   "| Noisy | 6/6 | done (suspect) | 100.00 | 14.1% | 80.00 – 120.00 | 2.00 ms | "
                   "2.00 ms | 0 | 0 | 5.000 | 1.0 MiB | 0.10x | noisy |"));
    // Five measured repetitions: no 95 % interval, and the failed one is listed below.
    CHECK(has_line(md,
                   "| Steady | 5/6 | failed | 1,000.00 | 0.7% | — | 2.00 ms | 2.00 ms | 0 | 0 "
                   "| 0.500 | 1.0 MiB | 1.00x |  |"));
    CHECK_THAT(md, Contains("## Warnings"));
    CHECK_THAT(md, Contains("\n- noisy, suspect `noisy`: requests/sec varies by 14.1%"));
    CHECK(has_line(md, "## Repetitions"));
    CHECK(has_line(md,
                   "| noisy | requests/sec | 6 | 100.00 | 80.00 | 120.00 | 80.00 – 120.00 | "
                   "14.1% |"));
    CHECK(has_line(md, "| steady | requests/sec | 5 | 1,000.00 | 990.00 | 1,010.00 | — | 0.7% |"));
    CHECK(has_line(md, "### steady (repetition 6)"));
}

TEST_CASE("a repeated run's CSV has one row per cell: medians, then each figure's spread") {
    RunFixture fixture;
    build_repeated_run(fixture);
    const std::string csv = render_csv_report(read_run(fixture.path()), {});
    std::istringstream lines(csv);
    std::string header, noisy;
    std::getline(lines, header);
    std::getline(lines, noisy);
    CHECK_THAT(header, Contains("run_id,cell,repetitions,measured,status,server,threads,"));
    CHECK_THAT(header,
               Contains(",requests_per_sec_min,requests_per_sec_max,requests_per_sec_ci_low,"
                        "requests_per_sec_ci_high,requests_per_sec_cv,"));
    CHECK_THAT(header, Contains(",thresholds_failed,failure_reason,warnings,warning_messages\r"));
    CHECK_THAT(noisy, StartsWith("20261124T000000Z-repeated,noisy,6,6,done,noisy,1,1,duration,"));
    CHECK_THAT(noisy, Contains(",80,120,80,120,0.1414"));
    CHECK_THAT(noisy, Contains(",noisy,\"suspect noisy: requests/sec varies by 14.1%"));
    ReportOptions per_repetition;
    per_repetition.per_repetition = true;
    const std::string rows = render_csv_report(read_run(fixture.path()), per_repetition);
    CHECK(std::count(rows.begin(), rows.end(), '\n') == 13);
}

TEST_CASE("a repeated run's JSON rows hold the statistics and samples of every repetition") {
    RunFixture fixture;
    build_repeated_run(fixture);
    const json doc = json::parse(render_json_report(read_run(fixture.path()), {}));
    CHECK(doc["run"]["rows_per"] == "cell");
    CHECK(doc["run"]["noise_limit"] == 0.05);
    REQUIRE(doc["rows"].size() == 2);
    const json& noisy = doc["rows"][0];
    CHECK(noisy["cell"] == "noisy");
    CHECK(noisy["measured"] == 6);
    CHECK(noisy["repetitions"].size() == 6);
    CHECK(noisy["repetitions"][2]["file"] == "cells/noisy.rep3.json");
    CHECK(noisy["figures"]["requests_per_sec"] == 100.0);
    const json& rate = noisy["statistics"]["requests_per_sec"];
    CHECK(rate["samples"] == json({100.0, 110.0, 90.0, 120.0, 80.0, 100.0}));
    CHECK(rate["median_ci"]["low"] == 80.0);
    CHECK(rate["median_ci"]["coverage"].get<double>() == Approx(0.96875));
    CHECK(noisy["statistics"].contains("latency_p99_ms"));
    CHECK(noisy["warnings"][0]["code"] == "noisy");
    CHECK(doc["rows"][1]["warnings"].empty());
}

TEST_CASE("the HTML report draws each repetition as a dot beside its cell's median bar") {
    RunFixture fixture;
    build_repeated_run(fixture);
    const std::string html =
        render_html_report(read_run(fixture.path()), {}, TemplateSet::built_in());
    std::size_t dots = 0;
    for (std::size_t at = html.find("<circle"); at != std::string::npos;
         at = html.find("<circle", at + 1)) {
        ++dots;
    }
    CHECK(dots == 12);
    CHECK_THAT(html, Contains("<title>repetition 4: 120.00 requests/sec</title>"));
    CHECK_THAT(html, Contains("<title>Noisy: 100.00 requests/sec</title>"));
    CHECK_THAT(html, Contains("<section id=\"repetitions\">"));
    CHECK_THAT(
        html, Contains("<code>noisy</code>, suspect <code>noisy</code>: requests&#x2F;sec varies"));
    CHECK_THAT(html, Contains("<tr class=\"done suspect warned\" data-cell=\"noisy\">"));
}

TEST_CASE("threshold verdicts are counted in the summary, listed when failed, kept in JSON") {
    RunFixture fixture;
    const AxisValue a = test::axis_value("server", "a", "A");
    fixture.manifest.axes = {{"server", {a}}};
    CellRecord record = test::done_record({a}, 1, 1);
    record.thresholds = {{"p99", "< 1ms", 2.0, false}, {"failures", "== 0", 0.0, true}};
    fixture.add_cell(record, std::make_pair(test::duration_settings("http://127.0.0.1:1/", 1, 1, 1),
                                            test::result_with({{2000, 10}}, 1, 1)));
    fixture.write_manifest();
    const RunReport run = read_run(fixture.path());
    const std::string md = render_markdown_report(run, {}, TemplateSet::built_in());
    CHECK_THAT(md, Contains("| 1.00x | 1 of 2 failed |\n"));
    CHECK_THAT(md,
               Contains("\nThresholds: 1 of 2 threshold checks passed.\n- a: p99 &lt; 1ms failed: "
                        "2.00 ms\n"));
    const json doc = json::parse(render_json_report(run, {}));
    CHECK(doc["rows"][0]["thresholds"] ==
          json::parse(R"([{"repetition": 1, "metric": "p99", "expression": "< 1ms", "value": 2.0,
                           "passed": false},
                          {"repetition": 1, "metric": "failures", "expression": "== 0",
                           "value": 0.0, "passed": true}])"));
    CHECK_THAT(render_csv_report(run, {}), Contains(",1,,,\r\n"));
}

TEST_CASE(
    "a repeated cell's warnings are one per code, naming the repetitions they stood against") {
    RunFixture fixture;
    build_repeated_run(fixture, false, true);
    const RunReport run = read_run(fixture.path());  // the view points into it
    const ReportView view = build_report_view(run, {});
    REQUIRE(view.table.rows.size() == 2);
    const SummaryRow& steady = view.table.rows[1];
    REQUIRE(steady.cell->cell_id == "steady");
    REQUIRE(steady.warnings.size() == 2);
    CHECK(steady.warnings[0].code == "shared_cores");
    CHECK(steady.warnings[0].message == "every repetition: the client and target share 2 CPUs");
    CHECK(steady.warnings[1].code == "ramp");
    CHECK(steady.warnings[1].severity == WarningSeverity::suspect);
    CHECK(steady.warnings[1].message == "repetitions 2, 5; repetition 2: ramp in repetition 2");
    CHECK(steady.texts.back() == "shared_cores, ramp");
}
