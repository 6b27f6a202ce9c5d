// The per-request tables of a cell that sent a mix or a sequence, in every report format.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "report/formats/csv_report.hpp"
#include "report/formats/html_report.hpp"
#include "report/formats/json_report.hpp"
#include "report/formats/markdown_report.hpp"
#include "report/model/run_reader.hpp"
#include "report/templates/template_set.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::RunFixture;
using nlohmann::json;

namespace {

// One done cell of a mix: "home" (900 responses of 200) and "item" (94 completed, 3 responses of
// 404 that failed the item's expected status, and 1 read error).
void build_mix_run(RunFixture& fixture) {
    const AxisValue value = test::axis_value("server", "nginx", "nginx");
    fixture.manifest.axes = {{"server", {value}}};
    LoadResult result = test::result_with({{1000, 900}, {3000, 94}}, 10.0, 50000);
    result.status_codes = {{200, 994}, {404, 3}};
    result.requests.started = 998;
    result.requests.failed = 4;
    result.errors.read = 1;
    result.errors.check = 3;
    NamedRequestResult home;
    home.name = "home";
    home.requests = {900, 900, 0, 0};
    home.status_codes = {{200, 900}};
    home.latency.record(1000, 900);
    NamedRequestResult item;
    item.name = "item";
    item.requests = {98, 94, 4, 0};
    item.errors.check = 3;
    item.errors.read = 1;
    item.status_codes = {{200, 94}, {404, 3}};
    item.latency.record(3000, 94);
    result.by_name = {home, item};
    fixture.add_cell(
        test::done_record({value}, 1.5, 1 << 20),
        std::pair{test::duration_settings("http://127.0.0.1:8000/", 2, 10, 10), result});
    fixture.write_manifest();
}

}  // namespace

TEST_CASE("the Markdown report follows a mix cell's block with a table of its named requests") {
    RunFixture fixture;
    build_mix_run(fixture);
    const std::string md =
        render_markdown_report(read_run(fixture.path()), {}, TemplateSet::built_in());
    CHECK(md.find("| request | started | completed | failed | failures | p50 | p75 | p90 | p99 | "
                  "statuses |") != std::string::npos);
    CHECK(md.find("| home | 900 | 900 | 0 |  | 1.00 ms |") != std::string::npos);
    CHECK(md.find("| item | 98 | 94 | 4 | read 1, check 3 | 3.00 ms |") != std::string::npos);
    CHECK(md.find("| 200 x 94, 404 x 3 |") != std::string::npos);
}

TEST_CASE("the JSON report lists a mix cell's named requests with their figures") {
    RunFixture fixture;
    build_mix_run(fixture);
    const json doc = json::parse(render_json_report(read_run(fixture.path()), {}));
    const json& row = doc["rows"][0];
    CHECK(row["figures"]["errors"]["check"] == 3);
    REQUIRE(row["by_request"].size() == 2);
    const json& item = row["by_request"][1];
    CHECK(item["name"] == "item");
    CHECK(item["figures"]["requests"]["failed"] == 4);
    CHECK(item["figures"]["errors"]["check"] == 3);
    CHECK(item["figures"]["status_codes"]["404"] == 3);
    CHECK(item["figures"]["latency_ms"]["p75"].get<double>() == Approx(3.0).epsilon(0.001));
    CHECK_FALSE(item["figures"].contains("cpu_seconds"));
}

TEST_CASE("the CSV report follows a mix cell's row with one row per named request") {
    RunFixture fixture;
    build_mix_run(fixture);
    const std::string csv = render_csv_report(read_run(fixture.path()), {});
    CHECK(csv.find(",done,,nginx,2,10,duration,10,998,994,4,") != std::string::npos);
    CHECK(csv.find(",done,home,nginx,2,10,duration,10,900,900,0,") != std::string::npos);
    // started, completed, failed, in flight, non-2xx/3xx and its ratio (3 of 94), then errors
    // by class, no bytes.
    CHECK(csv.find(",done,item,nginx,2,10,duration,10,98,94,4,0,3,0.031915,0,1,0,0,0,3,,") !=
          std::string::npos);
}

TEST_CASE("the HTML report has a section with each mix cell's named requests") {
    RunFixture fixture;
    build_mix_run(fixture);
    const std::string html =
        render_html_report(read_run(fixture.path()), {}, TemplateSet::built_in());
    CHECK(html.find("<a href=\"#requests\">Requests by name</a>") != std::string::npos);
    CHECK(html.find("<td>item</td>") != std::string::npos);
    CHECK(html.find("<td>read 1, check 3</td>") != std::string::npos);
}

TEST_CASE("a report of cells that sent one request has no per-request table") {
    RunFixture fixture;
    test::build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    CHECK(render_markdown_report(run, {}, TemplateSet::built_in()).find("| request |") ==
          std::string::npos);
    CHECK(render_html_report(run, {}, TemplateSet::built_in()).find("id=\"requests\"") ==
          std::string::npos);
    CHECK(json::parse(render_json_report(run, {}))["rows"][0]["by_request"].is_null());
}
