#include "stats/e_divisive.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "synthetic_series.hpp"

using benchctl::ChangePoint;
using benchctl::ChangePointOptions;
using benchctl::ChangePointScale;
using benchctl::detect_change_points;
using benchctl::test::add_step;
using benchctl::test::noisy_series;

// Synthetic nightly series around 10,000 (requests/sec, say) with 3 % Gaussian noise, the case
// bench/changepoints measures at scale. Each series is fixed by its seed, so every count below is
// deterministic; the bounds leave room under the counts measured when the tests were written
// (given in the comments) so that a change of random source does not break them, while a broken
// detector does.

namespace {

long distance(const ChangePoint& point, long night) {
    return std::labs(static_cast<long>(point.index) - night);
}

bool has_point_near(const std::vector<ChangePoint>& points, long night, long tolerance) {
    for (const ChangePoint& point : points)
        if (distance(point, night) <= tolerance)
            return true;
    return false;
}

}  // namespace

TEST_CASE("a series without a change has no change point") {
    CHECK(detect_change_points(noisy_series(60, 10000, 0.03, 1)).empty());
}

TEST_CASE("series without a change raise false alarms at about the significance level") {
    int with_false_alarm = 0;
    for (std::uint64_t seed = 100; seed < 300; ++seed)
        with_false_alarm +=
            detect_change_points(noisy_series(60, 10000, 0.03, seed)).empty() ? 0 : 1;
    INFO(with_false_alarm << " of 200");
    // alpha = 0.02 per test; 6 of 200 measured.
    CHECK(with_false_alarm <= 12);
}

TEST_CASE("a 5 % step under 3 % noise is found at the step, with its size") {
    auto series = noisy_series(60, 10000, 0.03, 1);
    add_step(series, 30, -0.05);
    const auto points = detect_change_points(series);
    REQUIRE(points.size() == 1);
    CHECK(distance(points[0], 30) <= 1);
    CHECK(points[0].p_value == Approx(1.0 / 200));
    REQUIRE(points[0].relative_change.has_value());
    CHECK(*points[0].relative_change == Approx(-0.05).margin(0.02));
    CHECK(points[0].mean_after < points[0].mean_before);
    CHECK(points[0].median_after < points[0].median_before);
    CHECK(points[0].before_begin == 0);
    CHECK(points[0].after_end == 60);
}

TEST_CASE("a 5 % step under 3 % noise is found in every series, mostly within one night") {
    int found = 0, alone = 0, within_three = 0, within_one = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        auto series = noisy_series(60, 10000, 0.03, seed);
        add_step(series, 30, -0.05);
        const auto points = detect_change_points(series);
        found += points.empty() ? 0 : 1;
        alone += points.size() == 1 ? 1 : 0;
        within_three += has_point_near(points, 30, 3) ? 1 : 0;
        within_one += has_point_near(points, 30, 1) ? 1 : 0;
    }
    INFO("found " << found << ", alone " << alone << ", within three " << within_three
                  << ", within one " << within_one);
    // Measured: 99, 96, 91, 79. The location is as good as the data allow: the least-squares
    // cut (the maximum-likelihood location of a Gaussian mean shift) is within one night in 786 of
    // 1,000 such series, the energy statistic's best cut in 783.
    CHECK(found >= 97);
    CHECK(alone >= 90);
    CHECK(within_three >= 85);
    CHECK(within_one >= 70);
}

TEST_CASE("two steps are both found, even the same way (a staircase)") {
    auto series = noisy_series(90, 10000, 0.03, 1);
    add_step(series, 30, -0.05);
    add_step(series, 60, -0.05);
    const auto points = detect_change_points(series);
    REQUIRE(points.size() == 2);
    CHECK(distance(points[0], 30) <= 1);
    CHECK(distance(points[1], 60) <= 1);
    CHECK(points[0].after_end == points[1].index);
    CHECK(points[1].before_begin == points[0].index);
    CHECK(*points[0].relative_change < 0);
    CHECK(*points[1].relative_change < 0);

    int both = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        auto staircase = noisy_series(90, 10000, 0.03, seed);
        add_step(staircase, 30, -0.05);
        add_step(staircase, 60, -0.05);
        const auto found = detect_change_points(staircase);
        both += has_point_near(found, 30, 3) && has_point_near(found, 60, 3) ? 1 : 0;
    }
    // Measured: 81. Without moving each change point to the best cut between its neighbours it
    // was 69: the first cut of a staircase can fall between the steps.
    INFO(both << " of 100");
    CHECK(both >= 76);
}

TEST_CASE("steps in opposite directions are both found") {
    auto series = noisy_series(60, 10000, 0.03, 3);
    add_step(series, 20, -0.05);
    add_step(series, 40, 0.12);
    const auto points = detect_change_points(series);
    REQUIRE(points.size() == 2);
    CHECK(distance(points[0], 20) <= 1);
    CHECK(distance(points[1], 40) <= 1);
    CHECK(*points[0].relative_change < 0);
    CHECK(*points[1].relative_change > 0);
}

TEST_CASE("a single outlier is not a change") {
    int at_outlier = 0, with_outlier = 0, without = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        const auto plain = noisy_series(60, 10000, 0.03, seed);
        auto disturbed = plain;
        disturbed[30] *= 0.7;  // one night 30 % down: a disturbed run, not a regression
        const auto points = detect_change_points(disturbed);
        at_outlier += has_point_near(points, 30, 1) || has_point_near(points, 31, 1) ? 1 : 0;
        with_outlier += points.empty() ? 0 : 1;
        without += detect_change_points(plain).empty() ? 0 : 1;
    }
    INFO(with_outlier << " with the outlier, " << without << " without");
    CHECK(at_outlier == 0);
    CHECK(with_outlier <= without);  // measured: 4 and 4, the series' own false alarms
}

TEST_CASE("an outlier on the newest night does not make a change on ranks") {
    int on_values = 0, on_ranks = 0;
    ChangePointOptions ranks;
    ranks.scale = ChangePointScale::ranks;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        auto series = noisy_series(60, 10000, 0.03, seed);
        series.back() *= 0.7;
        for (const ChangePoint& point : detect_change_points(series))
            on_values += point.index >= 57 ? 1 : 0;
        for (const ChangePoint& point : detect_change_points(series, ranks))
            on_ranks += point.index >= 57 ? 1 : 0;
    }
    // The last segment (min_segment 3 nights) holds the outlier: on values, its distance to every
    // other night makes a significant cut now and then (measured: 2 of 100); on ranks it is just
    // the lowest rank.
    INFO(on_values << " on values, " << on_ranks << " on ranks");
    CHECK(on_values <= 4);
    CHECK(on_ranks == 0);
}

TEST_CASE("on ranks a 5 % step is found as on values") {
    ChangePointOptions ranks;
    ranks.scale = ChangePointScale::ranks;
    int within_one = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        auto series = noisy_series(60, 10000, 0.03, seed);
        add_step(series, 30, -0.05);
        const auto points = detect_change_points(series, ranks);
        within_one += points.size() == 1 && distance(points[0], 30) <= 1 ? 1 : 0;
    }
    INFO(within_one << " of 100");
    CHECK(within_one >= 66);  // measured: 74 (on values: 79)
}

TEST_CASE("a constant series and a too short one have no change point") {
    CHECK(detect_change_points(std::vector<double>(30, 5.0)).empty());
    const std::vector<double> short_series = {1, 1, 9, 9, 9};
    CHECK(detect_change_points(short_series).empty());  // 2 * min_segment = 6 > 5
}

TEST_CASE("the same series and seed give the same change points") {
    auto series = noisy_series(80, 250, 0.05, 8);
    add_step(series, 50, 0.08);
    const auto first = detect_change_points(series);
    const auto second = detect_change_points(series);
    REQUIRE(!first.empty());
    REQUIRE(first.size() == second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        CHECK(first[i].index == second[i].index);
        CHECK(first[i].p_value == second[i].p_value);
    }
}

TEST_CASE("the p-value is the permutation test's smallest for a clear step") {
    auto series = noisy_series(60, 10000, 0.01, 4);
    add_step(series, 30, 0.2);
    ChangePointOptions options;
    options.alpha = 0.05;
    options.permutations = 99;
    const auto points = detect_change_points(series, options);
    REQUIRE(points.size() == 1);
    CHECK(points[0].index == 30);
    CHECK(points[0].p_value == Approx(1.0 / 100));  // no permutation reached the observed Q
}

TEST_CASE("a relative change is absent when the median before is zero") {
    std::vector<double> failures(20, 0.0);
    for (std::size_t i = 10; i < 20; ++i)
        failures[i] = 5 + static_cast<double>(i % 3);
    const auto points = detect_change_points(failures);
    REQUIRE(points.size() == 1);
    CHECK(points[0].index == 10);
    CHECK_FALSE(points[0].relative_change.has_value());
}

TEST_CASE("options that cannot give a significant result are refused") {
    const auto series = noisy_series(20, 1, 0.1, 1);
    ChangePointOptions few;
    few.alpha = 0.01;
    few.permutations = 50;  // the smallest p-value would be 1/51 > 0.01
    CHECK_THROWS_AS(detect_change_points(series, few), std::invalid_argument);
    ChangePointOptions no_segment;
    no_segment.min_segment = 0;
    CHECK_THROWS_AS(detect_change_points(series, no_segment), std::invalid_argument);
    ChangePointOptions bad_alpha;
    bad_alpha.alpha = 1.5;
    CHECK_THROWS_AS(detect_change_points(series, bad_alpha), std::invalid_argument);
}
