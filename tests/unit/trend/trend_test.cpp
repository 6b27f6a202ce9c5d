#include <catch2/catch.hpp>

#include "temp_history.hpp"
#include "trend/history_text.hpp"
#include "trend/series_trend.hpp"
#include "trend/trend_chart.hpp"
#include "trend/trend_report.hpp"

using namespace benchctl;
using Catch::Matchers::Contains;

namespace {

std::vector<SeriesTrend> trends_of(const test::TempHistory& history) {
    const HistoryStore store =
        HistoryStore::open(history.path(), HistoryStore::Open::existing_only);
    TrendQuery query;
    query.metrics = {Metric::requests_per_sec};
    return read_trends(store, query);
}

}  // namespace

TEST_CASE("a slowdown in the newest nights is a change point and fails the check") {
    test::TempHistory history;
    history.add_nights(
        {{"slow.sync", test::step_series(10, 5)}, {"steady.sync", test::step_series(15, 0)}});
    const std::vector<SeriesTrend> trends = trends_of(history);
    REQUIRE(trends.size() == 2);
    const SeriesTrend& slow = trends[0];
    CHECK(slow.series.cell_id == "slow.sync");
    REQUIRE(slow.gate.change_points.size() == 1);
    CHECK(slow.gate.change_points[0].index == 10);
    CHECK(slow.gate.regression);
    CHECK_FALSE(trends[1].gate.regression);
    const std::string check = render_check_text(trends, "h.db");
    CHECK_THAT(check, Contains("regression: slow.sync requests/sec -20."));
    CHECK_THAT(check, Contains("from run night-110, median 1,000.00 -> 8"));
    CHECK_THAT(check, Contains("between c9 (run night-109) and c10 (run night-110)"));
    CHECK_THAT(check, Contains("history check: 1 regression in 2 series of h.db\n"));
}

TEST_CASE("history show lists every run and marks the change on the first run after it") {
    test::TempHistory history;
    history.add_nights("slow.sync", test::step_series(10, 5));
    const std::string text = render_series_text(trends_of(history));
    CHECK_THAT(text, Contains("slow.sync  requests/sec (15 runs, 1 change point)\n"));
    CHECK_THAT(text, Contains("  night-110                          2026-10-01 14:13  c10"));
    CHECK_THAT(text, Contains("<- change point: -20."));
    CHECK(std::count(text.begin(), text.end(), '\n') == 15 + 3);
}

TEST_CASE("a regression that is old news, or a speed-up, does not fail the check") {
    test::TempHistory old_news;
    old_news.add_nights("a", test::step_series(6, 20));
    CHECK_FALSE(trends_of(old_news)[0].gate.regression);
    test::TempHistory faster;
    std::vector<double> medians = test::step_series(10, 5);
    for (std::size_t i = 10; i < medians.size(); ++i)
        medians[i] *= 1.6;  // 1280: faster than before
    faster.add_nights("a", medians);
    const SeriesTrend trend = trends_of(faster)[0];
    CHECK(trend.gate.change_points.size() == 1);
    CHECK_FALSE(trend.gate.regression);
    CHECK_THAT(render_check_text({trend}, "h.db"), Contains("no regression in 1 series"));
}

TEST_CASE("the trend page draws each series with its change point and names the commits") {
    test::TempHistory history;
    history.add_nights("slow.sync", test::step_series(10, 5));
    const std::vector<SeriesTrend> trends = trends_of(history);
    const std::string html = render_trend_html(trends, "h<1>.db");
    CHECK_THAT(html, Contains("<h1>History of <code>h&lt;1&gt;.db</code></h1>"));
    CHECK_THAT(html, Contains("<svg"));
    CHECK(std::count(html.begin(), html.end(), '<') > 100);
    CHECK_THAT(html, Contains("<circle"));
    CHECK_THAT(html, Contains("<title>change point: -20."));
    CHECK_THAT(html, Contains("<li>Change point: -20."));
    CHECK_THAT(html, Contains("<li class=\"regression\">history check: regression: slow.sync"));
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    const std::string md = render_trend_markdown(trends, "h.db");
    CHECK_THAT(md, Contains("## slow.sync · requests/sec\n\n`"));
    CHECK_THAT(md, Contains("|▁"));
    CHECK_THAT(md, Contains("- **history check: regression: slow.sync"));
    CHECK(sparkline(trends[0]).find('|') != std::string::npos);
}
