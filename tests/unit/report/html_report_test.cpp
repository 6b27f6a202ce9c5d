// The HTML report: structure, escaping of every string from the run's files, no URL to fetch,
// and charts computed from the files (percentile curves on HdrHistogram's log axis).
//
// The run of tests/fixtures/runs/small/ (rendered by tests/integration/test_html_report.py in
// headless Chromium, and the source of docs/report-html.png) is build_html_run() below, written
// by the hidden test "[.generate]". After changing the builder, regenerate and review it:
//
//     rm -rf tests/fixtures/runs/small
//     BENCHCTL_FIXTURE_OUT=tests/fixtures/runs/small build/tests/unit_report_tests "[.generate]"

#include "report/formats/html_report.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "report/model/run_reader.hpp"
#include "report/report_renderer.hpp"
#include "report/svg/svg_percentile_chart.hpp"
#include "report/svg/svg_writer.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::axis_value;
using benchctl::test::done_record;
using benchctl::test::duration_settings;
using benchctl::test::result_with;
using benchctl::test::RunFixture;
using Catch::Matchers::Contains;

namespace {

const std::string k_script_label = "<script>alert(1)</script>";
const std::string k_hostile = "\"'&<>";

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++count;
    return count;
}

// Spreads `result`'s completed requests over whole seconds, as the load client's timeline does.
void add_timeline(LoadResult& result, std::initializer_list<double> shape) {
    double total_shape = 0;
    for (const double weight : shape)
        total_shape += weight;
    std::uint64_t left = result.requests.completed;
    std::size_t index = 0;
    for (const double weight : shape) {
        const bool last = ++index == shape.size();
        const auto completed =
            last ? left
                 : static_cast<std::uint64_t>(static_cast<double>(result.requests.completed) *
                                              weight / total_shape);
        left -= completed;
        result.timeline.push_back({completed, 0, completed * 300, 0, 0, {}});
    }
}

// A 2-axis run (server x endpoint) whose strings try to break out of HTML: a server labelled
// "<script>alert(1)</script>", a title with markup, a failed cell whose reason and log tail hold
// "'&<>, and a cell the interrupted run never reached.
void build_html_run(RunFixture& fixture) {
    const AxisValue nginx = axis_value("server", "nginx", "nginx 1.22");
    const AxisValue hostile = axis_value("server", "script", k_script_label);
    const AxisValue gunicorn = axis_value("server", "gunicorn", "Gunicorn sync");
    const AxisValue small = axis_value("endpoint", "small", "Small page");
    const AxisValue large = axis_value("endpoint", "large", "Large page & more");
    RunManifest& m = fixture.manifest;
    m.run_id = "20261123T120000Z-html";
    m.status = RunStatus::interrupted;
    m.matrix_path = "scenarios/html.yaml";
    m.matrix_name = "html";
    m.matrix_title = "Servers <b>compared</b> & escaped";
    m.axes = {{"server", {nginx, hostile, gunicorn}}, {"endpoint", {small, large}}};
    m.host = {"bench-host", "Intel(R) Xeon(R) CPU @ 2.20GHz", 2, 8ULL << 30, "Linux 6.1.0 x86_64"};
    m.benchctl_version = "0.1.0";
    m.started_at = "2026-11-23T12:00:00Z";
    m.ended_at = "2026-11-23T12:02:00Z";
    const auto cell = [&](const AxisValue& server, const AxisValue& endpoint, LoadResult result,
                          std::initializer_list<double> shape) {
        add_timeline(result, shape);
        const LoadSettings settings =
            duration_settings("http://127.0.0.1:8000/" + endpoint.name, 2, 50, 10);
        fixture.add_cell(done_record({server, endpoint}, 4.5, 40ULL << 20),
                         std::make_pair(settings, std::move(result)));
    };
    cell(nginx, small,
         result_with({{900, 60000}, {1'500, 30000}, {4'000, 900}, {12'000, 90}}, 10.0, 9'000'000),
         {9, 10, 10, 10, 10, 9, 10, 10, 10, 10});
    cell(nginx, large, result_with({{2'100, 40000}, {6'000, 1000}, {30'000, 40}}, 10.0, 90'000'000),
         {8, 10, 10, 10, 10, 10, 10, 10, 10, 10});
    cell(hostile, small, result_with({{3'000, 20000}, {9'000, 500}, {80'000, 20}}, 10.0, 2'000'000),
         {10, 10, 9, 10, 10, 11, 10, 10, 10, 10});
    CellRecord failed = done_record({hostile, large}, 0, 0);
    failed.status = CellStatus::failed;
    failed.failure_reason = "exited with code 3 before ready: " + k_hostile;
    failed.log_tail =
        "Traceback (most recent call last):\n</pre><script>alert(2)</script>\n" + k_hostile + "\n";
    failed.resources.reset();
    fixture.add_cell(failed, std::nullopt);
    cell(gunicorn, small, result_with({{11'000, 8000}, {25'000, 200}, {250'000, 8}}, 10.0, 800'000),
         {6, 9, 10, 10, 10, 10, 10, 10, 9, 8});
    fixture.add_pending("gunicorn.large");
    fixture.write_manifest();
}

std::string html_of(const RunReport& run, ReportOptions options = {}) {
    return render_html_report(run, options, TemplateSet::built_in());
}

std::vector<double> polyline_xs(const std::string& svg) {
    const std::regex points_attribute("points=\"([^\"]*)\"");
    std::smatch match;
    REQUIRE(std::regex_search(svg, match, points_attribute));
    std::vector<double> xs;
    const std::string points = match[1];
    const std::regex pair("(-?[0-9.]+),(-?[0-9.]+)");
    for (auto it = std::sregex_iterator(points.begin(), points.end(), pair);
         it != std::sregex_iterator(); ++it) {
        xs.push_back(std::stod((*it)[1]));
    }
    return xs;
}

}  // namespace

TEST_CASE("the HTML report is one page with one table, balanced SVG charts and every cell") {
    RunFixture fixture;
    build_html_run(fixture);
    const std::string html = html_of(read_run(fixture.path()));
    CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
    CHECK(count_of(html, "</html>") == 1);
    CHECK(count_of(html, "<table") == 1);
    CHECK(count_of(html, "</table>") == 1);
    // A grouped bar chart, a percentile chart and a timeline per measured server (3 + 3).
    CHECK(count_of(html, "<svg ") == 7);
    CHECK(count_of(html, "</svg>") == 7);
    CHECK(count_of(html, "<tr class=") == 6);
    for (const char* cell : {"nginx.small", "nginx.large", "script.small", "script.large",
                             "gunicorn.small", "gunicorn.large"}) {
        CHECK_THAT(html, Contains(std::string("data-cell=\"") + cell + "\""));
    }
    CHECK_THAT(html, Contains("<h3><code>script.large</code></h3>"));
    CHECK_THAT(html, Contains("<dt>CPU</dt><dd>Intel(R) Xeon(R) CPU @ 2.20GHz</dd>"));
}

TEST_CASE("every string from the run's files is escaped, in the page and in the SVG") {
    RunFixture fixture;
    build_html_run(fixture);
    fixture.add_pending("odd" + k_hostile);
    fixture.write_manifest();
    const std::string html = html_of(read_run(fixture.path()));
    // The one script element is the report's own sorting script.
    CHECK(count_of(html, "<script") == 1);
    CHECK(html.find(k_script_label) == std::string::npos);
    CHECK(html.find("alert(2)</script>") == std::string::npos);
    CHECK(html.find(k_hostile) == std::string::npos);
    CHECK(html.find("<b>compared</b>") == std::string::npos);
    // mustache's escaping in the page (it also writes '/' as &#x2F;), escape_xml's in the SVG.
    CHECK_THAT(html, Contains("<td>&lt;script&gt;alert(1)&lt;&#x2F;script&gt;</td>"));
    CHECK_THAT(html, Contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; / Small page: "));
    CHECK_THAT(html, Contains("class=\"tick\">&lt;script&gt;alert(1)&lt;/scr…</text>"));
    CHECK_THAT(html, Contains("<figcaption>server: &lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    CHECK_THAT(html, Contains("before ready: &quot;&#39;&amp;&lt;&gt;."));
    CHECK_THAT(html, Contains("&lt;&#x2F;pre&gt;&lt;script&gt;alert(2)"));
    CHECK_THAT(html, Contains("data-cell=\"odd&quot;&#39;&amp;&lt;&gt;\""));
    CHECK_THAT(html, Contains("<h1>Servers &lt;b&gt;compared&lt;&#x2F;b&gt; &amp; escaped</h1>"));
    CHECK(escape_xml(k_hostile) == "&quot;&#39;&amp;&lt;&gt;");
}

TEST_CASE("the page references nothing outside itself") {
    RunFixture fixture;
    build_html_run(fixture);
    const std::string html = html_of(read_run(fixture.path()));
    const std::regex external(R"((src|href|action|srcset|xlink:href)\s*=\s*["']?\s*(https?:)?//)",
                              std::regex::icase);
    CHECK_FALSE(std::regex_search(html, external));
    CHECK_FALSE(std::regex_search(html, std::regex("https?://", std::regex::icase)));
    CHECK(html.find("url(") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find(" src=") == std::string::npos);
    // Links only to the page's own sections, and a policy that forbids fetching anything.
    const std::regex href("href=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href);
         it != std::sregex_iterator(); ++it) {
        CHECK((*it)[1].str().rfind('#', 0) == 0);
    }
    CHECK_THAT(html, Contains("content=\"default-src 'none';"));
}

TEST_CASE("the summary table has Markdown's columns, raw numbers to sort by, and the script") {
    RunFixture fixture;
    build_html_run(fixture);
    const std::string html = html_of(read_run(fixture.path()));
    CHECK_THAT(html, Contains("<tr><th scope=\"col\">server</th><th scope=\"col\">endpoint</th>"
                              "<th scope=\"col\">status</th><th scope=\"col\" class=\"num\">"
                              "requests&#x2F;sec</th>"));
    CHECK_THAT(html, Contains("<th scope=\"col\" class=\"num\">relative</th></tr>"));
    // nginx.small: 90,990 requests in 10 s; the fastest, so relative 1.
    CHECK_THAT(html, Contains("<td class=\"num\" data-sort=\"9099\">9,099.00</td>"));
    CHECK_THAT(html, Contains("<td class=\"num\" data-sort=\"1\">1.00x</td>"));
    // A failed cell's figures are "—" with nothing to sort by.
    CHECK_THAT(html, Contains("<tr class=\"failed\" data-cell=\"script.large\"><td>&lt;script"));
    CHECK_THAT(html, Contains("<td class=\"num\">—</td>"));
    CHECK_THAT(html, Contains("table.setAttribute(\"data-sortable\", \"ready\")"));
}

TEST_CASE("cells without a load document have no bar or curve and are listed") {
    RunFixture fixture;
    build_html_run(fixture);
    const std::string html = html_of(read_run(fixture.path()));
    // One bar per measured cell, each with its figure in its tooltip.
    CHECK(count_of(html, " requests/sec</title></rect>") == 4);
    CHECK_THAT(html, Contains("<title>nginx 1.22 / Small page: 9,099.00 requests/sec</title>"));
    CHECK_THAT(html, Contains("No bar, curve or timeline for cells without a measurement:"));
    CHECK_THAT(html, Contains("<code>script.large</code> (failed)"));
    CHECK_THAT(html, Contains("<code>gunicorn.large</code> (pending)"));
    // Four measured cells: a line and its legend mark in the latency and the timeline charts.
    CHECK(count_of(html, "<polyline class=\"series\"") == 4 * 2 * 2);
}

TEST_CASE("a percentile curve holds the histogram's values at HdrHistogram's percentiles") {
    LatencyHistogram histogram;
    for (std::uint64_t value = 1; value <= 100'000; ++value)
        histogram.record(value * 7);
    const std::vector<PercentilePoint> curve = percentile_curve(histogram);
    REQUIRE(curve.size() > 40);
    CHECK(curve.front().percentile == 0);
    CHECK(curve.front().value_us == histogram.min());
    CHECK(curve.back().value_us == histogram.max());
    CHECK(curve.back().percentile == Approx(99.999));  // 1 - 1/count
    for (std::size_t i = 1; i + 1 < curve.size(); ++i) {
        INFO(curve[i].percentile);
        CHECK(curve[i].percentile > curve[i - 1].percentile);
        CHECK(curve[i].value_us == histogram.value_at_percentile(curve[i].percentile));
    }
    // HdrHistogram's steps: 10% up to 50%, then 5%, 2.5% ... halving with the distance to 100%.
    CHECK(curve[1].percentile == Approx(10));
    CHECK(curve[5].percentile == Approx(50));
    CHECK(curve[6].percentile == Approx(55));
    CHECK(percentile_curve(LatencyHistogram()).empty());
}

TEST_CASE("the percentile axis spaces percentiles by log10(1 / (1 - p))") {
    CHECK(percentile_axis_position(0) == 0);
    CHECK(percentile_axis_position(90) == Approx(1));
    CHECK(percentile_axis_position(99) == Approx(2));
    CHECK(percentile_axis_position(99.9) == Approx(3));
    CHECK(percentile_axis_position(75) == Approx(std::log10(4.0)));
    // Drawn: 0%, 90%, 99%, 99.9% fall on equally spaced x; 75% at log10(4) of one step.
    const std::string svg = render_percentile_chart(
        "t", {{"cell", {{0, 1000}, {75, 1500}, {90, 2000}, {99, 3000}, {99.9, 9000}}}});
    const std::vector<double> xs = polyline_xs(svg);
    REQUIRE(xs.size() == 5);
    const double step = xs[2] - xs[0];
    CHECK(step > 100);
    CHECK(xs[1] - xs[0] == Approx(step * std::log10(4.0)).margin(0.02));
    CHECK(xs[3] - xs[2] == Approx(step).margin(0.02));
    CHECK(xs[4] - xs[3] == Approx(step).margin(0.02));
    for (const char* tick : {">0%</text>", ">90%</text>", ">99%</text>", ">99.9%</text>"})
        CHECK_THAT(svg, Contains(tick));
    CHECK(svg.find(">99.99%</text>") == std::string::npos);
}

TEST_CASE("benchctl report --format html goes through the renderer; HTML has no --style") {
    RunFixture fixture;
    build_html_run(fixture);
    ReportOptions options;
    options.format = parse_report_format("html");
    REQUIRE(options.format == ReportFormat::html);
    options.group_by = {"endpoint"};
    const std::string html = render_report(read_run(fixture.path()), options);
    // Grouped by endpoint first: one percentile chart per endpoint, the bar chart by endpoint.
    CHECK_THAT(html, Contains("<figcaption>requests&#x2F;sec by endpoint</figcaption>"));
    CHECK_THAT(html, Contains("<figcaption>endpoint: Large page &amp; more</figcaption>"));
    CHECK_THROWS_WITH(parse_report_style("wrk", ReportFormat::html),
                      Contains("HTML has no style 'wrk'"));
}

TEST_CASE("writes the example run of tests/fixtures/runs/small", "[.generate]") {
    const char* out = std::getenv("BENCHCTL_FIXTURE_OUT");
    REQUIRE(out != nullptr);
    RunFixture fixture;
    build_html_run(fixture);
    namespace fs = std::filesystem;
    REQUIRE_FALSE(fs::exists(out));
    fs::create_directories(fs::path(out).parent_path());
    fs::copy(fixture.path(), out, fs::copy_options::recursive);
    fs::remove(fs::path(out) / "logs");  // empty: git keeps no empty folder
    WARN("wrote " << out);
}

TEST_CASE("a latency figure a cell's summary lacks is shown and sorted as not measured") {
    RunFixture fixture;
    const AxisValue wrk = axis_value("run", "wrk", "wrk");
    fixture.manifest.run_id = "recorded";
    fixture.manifest.axes = {{"run", {wrk}}};
    CellRecord record = done_record({wrk}, 1.0, 1024);
    LoadResult result = result_with({}, 10, 1000);
    result.requests.completed = 1000;
    LoadSummary summary;
    summary.requests_per_sec = 100;
    summary.latency.p99 = LatencyFigure::from_ms(12.5);  // a source that printed p99 only
    summary.source = SummarySource{"wrk-text", "in.txt", 1};
    record.load =
        to_imported_load_document(duration_settings("http://h/", 1, 1, 10), result, summary);
    fixture.add_cell(record, std::nullopt);
    fixture.write_manifest();
    const std::string html = html_of(read_run(fixture.path()));
    // requests/sec, then p50 (not recorded: no sort key), then p99 in milliseconds.
    CHECK_THAT(html, Contains("<td class=\"num\" data-sort=\"100\">100.00</td>"
                              "<td class=\"num\">—</td>"
                              "<td class=\"num\" data-sort=\"12.5\">12.50 ms</td>"));
}
