#include "compare/history_baseline.hpp"

#include <catch2/catch.hpp>

#include "temp_history.hpp"
#include "util/error.hpp"

using namespace benchctl;

TEST_CASE("the history baseline is the runs after the series' last change point") {
    test::TempHistory history;
    history.add_nights("a.sync", test::step_series(8, 6));
    const HistoryStore store =
        HistoryStore::open(history.path(), HistoryStore::Open::existing_only);
    const SampleSet base = history_baseline(store, {Metric::requests_per_sec}, "");
    CHECK(base.source == SampleSource::history);
    CHECK(base.run_id == "night-113");
    CHECK(base.labels.at("commit") == "c13");
    REQUIRE(base.cells.size() == 1);
    const std::vector<double>& samples = base.cells[0].of(Metric::requests_per_sec);
    REQUIRE(samples.size() == 6);  // the six slower nights, one median each
    CHECK(samples.front() == Approx(800.0 * 1.01 * 1.0).epsilon(0.02));
    CHECK(base.cells[0].measured == 6);
}

TEST_CASE("the run being compared is left out of its own baseline") {
    test::TempHistory history;
    history.add_nights("a.sync", std::vector<double>(6, 1000.0));
    const HistoryStore store =
        HistoryStore::open(history.path(), HistoryStore::Open::existing_only);
    const SampleSet base = history_baseline(store, {Metric::requests_per_sec}, "night-105");
    CHECK(base.run_id == "night-104");
    CHECK(base.cells[0].of(Metric::requests_per_sec).size() == 5);
}

TEST_CASE("an empty history cannot be a baseline") {
    test::TempHistory history;
    HistoryStore::open(history.path(), HistoryStore::Open::create_if_missing);
    const HistoryStore store =
        HistoryStore::open(history.path(), HistoryStore::Open::existing_only);
    CHECK_THROWS_AS(history_baseline(store, {Metric::requests_per_sec}, ""), UserError);
}
