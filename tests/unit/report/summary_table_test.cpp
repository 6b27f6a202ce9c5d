#include "report/model/summary_table.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "report/model/cell_grouping.hpp"
#include "report/model/run_reader.hpp"
#include "run_fixture.hpp"
#include "util/number_format.hpp"

using namespace benchctl;
using benchctl::test::build_three_axis_run;
using benchctl::test::RunFixture;

namespace {

const SummaryRow& row_of(const SummaryTable& table, const std::string& id) {
    for (const SummaryRow& row : table.rows) {
        if (row.cell->cell_id == id)
            return row;
    }
    FAIL("no row " << id);
    throw;
}

std::vector<std::string> headers(const SummaryTable& table) {
    std::vector<std::string> out;
    for (const SummaryColumn& column : table.columns)
        out.push_back(column.header);
    return out;
}

}  // namespace

TEST_CASE("formats numbers for people") {
    CHECK(format_count(0) == "0");
    CHECK(format_count(999) == "999");
    CHECK(format_count(1000) == "1,000");
    CHECK(format_count(269272) == "269,272");
    CHECK(format_count(1234567890) == "1,234,567,890");
    CHECK(format_grouped(26658.0, 2) == "26,658.00");
    CHECK(format_grouped(-1234.5, 1) == "-1,234.5");
    CHECK(format_grouped(0.35, 2) == "0.35");
    CHECK(format_ms(84.83) == "84.83 ms");
    CHECK(format_ms(1'204.22) == "1,204.22 ms");
    CHECK(format_bytes(512) == "512 B");
    CHECK(format_bytes(120ULL << 20) == "120.0 MiB");
    CHECK(format_bytes(8ULL << 30) == "8.0 GiB");
    CHECK(format_ratio(0.4213) == "0.42x");
    CHECK(format_ratio(1) == "1.00x");
}

TEST_CASE("the summary has the axes, then status and the figures, one row per cell") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    const auto order = grouping_order(run.manifest.axes, {});
    const SummaryTable table = build_summary_table(ordered_cells(run, order), order, run.repeat);
    CHECK(headers(table) == std::vector<std::string>{"server", "endpoint", "mode", "status",
                                                     "requests/sec", "p50", "p99", "failures",
                                                     "non-2xx/3xx", "CPU s / 1k req", "peak RSS",
                                                     "relative"});
    REQUIRE(table.rows.size() == 7);
    CHECK(table.rows[0].cell->cell_id == "gunicorn-gevent.cache_hit.sync");
    CHECK(table.rows[6].cell->cell_id == "uvicorn.cache_set.async");

    // p50: 8,400 us lies in a bucket 8 us wide, reported as its highest value 8,407 us (as
    // HdrHistogram does); p99 falls on 12,000 us, clamped to the exact max.
    const SummaryRow& best = row_of(table, "gunicorn-gevent.cache_hit.sync");
    CHECK(best.texts == std::vector<std::string>{"WSGI Gunicorn Gevent", "Fake redis hit", "Sync",
                                                 "done", "2,690.00", "8.41 ms", "12.00 ms", "0",
                                                 "0", "0.530", "120.0 MiB", "1.00x"});
    const SummaryRow& errors = row_of(table, "uvicorn.cache_hit.async");
    CHECK(errors.texts[7] == "317");
    CHECK(errors.texts[8] == "100");
    REQUIRE(errors.relative_speed);
    // Compared with the gevent server on the same endpoint and mode (900 requests/s), not with
    // the fastest row of the run (2,690 on another endpoint).
    CHECK(*errors.relative_speed == Approx(6035 / 10.1 / 900.0));
    CHECK(errors.texts[11] == "0.66x");
}

TEST_CASE("relative compares a row with the rows that differ only in the first axis") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    const auto order = grouping_order(run.manifest.axes, {});
    const auto cells = ordered_cells(run, order);
    const auto speeds = relative_speeds(cells, order);
    std::map<std::string, std::string> by_cell;
    for (std::size_t i = 0; i < cells.size(); ++i)
        by_cell[cells[i]->cell_id] = speeds[i] ? format_ratio(*speeds[i]) : "-";
    CHECK(by_cell ==
          std::map<std::string, std::string>{{"gunicorn-gevent.cache_hit.sync", "1.00x"},
                                             {"gunicorn-gevent.cache_hit.async", "1.00x"},
                                             {"gunicorn-gevent.cache_set.sync", "1.00x"},
                                             {"uvicorn.cache_hit.sync", "0.21x"},
                                             {"uvicorn.cache_hit.async", "0.66x"},
                                             {"uvicorn.cache_set.sync", "0.45x"},
                                             {"uvicorn.cache_set.async", "-"}});
    // Grouped by endpoint first, the endpoints of one server and mode are compared instead.
    const auto by_endpoint = grouping_order(run.manifest.axes, {"endpoint"});
    const auto regrouped = ordered_cells(run, by_endpoint);
    const auto endpoint_speeds = relative_speeds(regrouped, by_endpoint);
    for (std::size_t i = 0; i < regrouped.size(); ++i) {
        if (regrouped[i]->cell_id == "gunicorn-gevent.cache_set.sync")
            CHECK(format_ratio(*endpoint_speeds[i]) == "0.36x");  // 966.34 / 2,690
    }
}

TEST_CASE("a cell without a load document shows its status, never zeros") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    const auto order = grouping_order(run.manifest.axes, {});
    const SummaryTable table = build_summary_table(ordered_cells(run, order), order, run.repeat);
    const SummaryRow& failed = row_of(table, "uvicorn.cache_set.async");
    CHECK(failed.texts[3] == "failed");
    for (std::size_t i = 4; i < failed.texts.size(); ++i)
        CHECK(failed.texts[i] == k_not_measured);
    CHECK_FALSE(failed.relative_speed);

    const SummaryRow& no_resources = row_of(table, "gunicorn-gevent.cache_set.sync");
    CHECK(no_resources.texts[9] == k_not_measured);
    CHECK(no_resources.texts[10] == k_not_measured);
    CHECK(no_resources.texts[4] == "966.34");
}

TEST_CASE("repeated cells get a rep column and a row per repetition") {
    RunFixture fixture;
    fixture.manifest.run_id = std::string("20261123T000000Z-repeat");
    fixture.manifest.axes = {{"server", {test::axis_value("server", "a", "A")}}};
    for (unsigned rep = 1; rep <= 2; ++rep) {
        CellRecord record = test::done_record({test::axis_value("server", "a", "A")}, 1, 1);
        record.repetition = rep;
        fixture.add_cell(record,
                         std::make_pair(test::duration_settings("http://127.0.0.1:1/", 1, 1, 1),
                                        test::result_with({{1000, 100 * rep}}, 1, 1)));
    }
    fixture.write_manifest();
    const RunReport run = read_run(fixture.path());
    CHECK(run.repeat == 2);
    const auto order = grouping_order(run.manifest.axes, {});
    const SummaryTable table = build_summary_table(ordered_cells(run, order), order, run.repeat);
    CHECK(headers(table)[1] == "rep");
    REQUIRE(table.rows.size() == 2);
    CHECK(table.rows[0].texts[1] == "1");
    CHECK(table.rows[0].texts.back() == "0.50x");
    CHECK(table.rows[1].texts.back() == "1.00x");
}

TEST_CASE("a run with services shows their CPU per 1k requests apart from the target's") {
    RunFixture fixture;
    fixture.manifest.axes = {{"server", {test::axis_value("server", "a", "A")}}};
    CellRecord record = test::done_record({test::axis_value("server", "a", "A")}, 2, 1 << 20);
    record.services = {{"db", "postgres", {3.0, 30, 40ULL << 20, 10, 10}},
                       {"proxy", "nginx", {1.0, 10, 8ULL << 20, 10, 10}}};
    fixture.add_cell(record, std::make_pair(test::duration_settings("http://127.0.0.1:1/", 1, 1, 1),
                                            test::result_with({{1000, 2000}}, 1, 1)));
    fixture.write_manifest();
    const RunReport run = read_run(fixture.path());
    const CellMetrics& metrics = *run.cells.at(0).metrics;
    CHECK(metrics.number(Metric::cpu_seconds_per_1k) == Approx(1.0));
    CHECK(metrics.number(Metric::services_cpu_seconds) == Approx(4.0));
    CHECK(metrics.number(Metric::services_cpu_seconds_per_1k) == Approx(2.0));
    CHECK(metrics.count(Metric::services_peak_rss_bytes) == 48ULL << 20);
    const auto order = grouping_order(run.manifest.axes, {});
    const SummaryTable table = build_summary_table(ordered_cells(run, order), order, run.repeat);
    const std::vector<std::string> columns = headers(table);
    REQUIRE(columns.size() == 11);
    CHECK(columns[7] == "CPU s / 1k req");
    CHECK(columns[9] == "services CPU s / 1k req");
    CHECK(table.rows[0].texts[7] == "1.000");
    CHECK(table.rows[0].texts[9] == "2.000");
}

TEST_CASE(
    "a run with companions shows their CPU per 1k requests apart and with the target's, before the "
    "services'") {
    RunFixture fixture;
    fixture.manifest.axes = {{"server", {test::axis_value("server", "a", "A")}}};
    CellRecord record = test::done_record({test::axis_value("server", "a", "A")}, 2, 1 << 20);
    record.companions = {{"nginx", "nginx", {0.5, 5, 6ULL << 20, 10, 10}},
                         {"tap", "command", {0.25, 2, 2ULL << 20, 10, 10}}};
    record.services = {{"db", "postgres", {3.0, 30, 40ULL << 20, 10, 10}}};
    fixture.add_cell(record, std::make_pair(test::duration_settings("http://127.0.0.1:1/", 1, 1, 1),
                                            test::result_with({{1000, 2000}}, 1, 1)));
    fixture.write_manifest();
    const RunReport run = read_run(fixture.path());
    const CellMetrics& metrics = *run.cells.at(0).metrics;
    CHECK(metrics.number(Metric::cpu_seconds_per_1k) == Approx(1.0));
    CHECK(metrics.number(Metric::companions_cpu_seconds) == Approx(0.75));
    CHECK(metrics.number(Metric::companions_cpu_seconds_per_1k) == Approx(0.375));
    CHECK(metrics.count(Metric::companions_peak_rss_bytes) == 8ULL << 20);
    CHECK(metrics.number(Metric::services_cpu_seconds) == Approx(3.0));
    CHECK(metrics.number(Metric::total_cpu_seconds) == Approx(2.75));
    CHECK(metrics.number(Metric::total_cpu_seconds_per_1k) == Approx(1.375));
    const auto order = grouping_order(run.manifest.axes, {});
    const SummaryTable table = build_summary_table(ordered_cells(run, order), order, run.repeat);
    const std::vector<std::string> columns = headers(table);
    REQUIRE(columns.size() == 13);
    CHECK(columns[9] == "companions CPU s / 1k req");
    CHECK(columns[10] == "total CPU s / 1k req");
    CHECK(columns[11] == "services CPU s / 1k req");
    CHECK(table.rows[0].texts[9] == "0.375");
    CHECK(table.rows[0].texts[10] == "1.375");
    CHECK(table.rows[0].texts[11] == "1.500");
}
