#include "history/stable_segment.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "../stats/synthetic_series.hpp"

using benchctl::newest_stable_segment;
using benchctl::segment_medians;
using benchctl::Series;
using benchctl::SeriesPoint;

namespace {

Series series_of(const std::vector<double>& medians) {
    Series series{"cell", "requests_per_sec", {}};
    for (std::size_t i = 0; i < medians.size(); ++i) {
        SeriesPoint point;
        point.run_id = "run-" + std::to_string(i);
        point.samples = {medians[i]};
        point.median = medians[i];
        series.points.push_back(point);
    }
    return series;
}

}  // namespace

TEST_CASE("without a change the whole series is the stable segment") {
    const auto series = series_of(benchctl::test::noisy_series(30, 10000, 0.03, 1));
    const auto segment = newest_stable_segment(series);
    CHECK(segment.begin == 0);
    CHECK(segment.end == 30);
    CHECK_FALSE(segment.starting_change.has_value());
    CHECK(segment_medians(series, segment).size() == 30);
}

TEST_CASE("the stable segment starts at the last change point") {
    auto medians = benchctl::test::noisy_series(50, 10000, 0.02, 5);
    benchctl::test::add_step(medians, 20, 0.10);
    benchctl::test::add_step(medians, 35, -0.10);
    const auto series = series_of(medians);
    const auto segment = newest_stable_segment(series);
    REQUIRE(segment.starting_change.has_value());
    CHECK(segment.begin >= 34);
    CHECK(segment.begin <= 36);
    CHECK(segment.end == 50);
    CHECK(segment.size() == 50 - segment.begin);
    const auto baseline = segment_medians(series, segment);
    REQUIRE(baseline.size() == segment.size());
    CHECK(baseline.front() == series.points[segment.begin].median);
}

TEST_CASE("an empty series has an empty stable segment") {
    const Series empty{"cell", "p99", {}};
    const auto segment = newest_stable_segment(empty);
    CHECK(segment.size() == 0);
}
