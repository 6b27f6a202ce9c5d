#include "stats/repetition_summary.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

using benchctl::median_of;
using benchctl::summarize_repetitions;

TEST_CASE("no repetitions summarise to zeros without spread or interval") {
    const auto summary = summarize_repetitions({});
    CHECK(summary.count == 0);
    CHECK(summary.median == 0);
    CHECK_FALSE(summary.cv.has_value());
    CHECK_FALSE(summary.median_ci.has_value());
}

TEST_CASE("one repetition is its own median with no spread to speak of") {
    const std::vector<double> one = {10412.5};
    const auto summary = summarize_repetitions(one);
    CHECK(summary.count == 1);
    CHECK(summary.median == 10412.5);
    CHECK(summary.min == 10412.5);
    CHECK(summary.max == 10412.5);
    CHECK(summary.mean == 10412.5);
    CHECK(summary.stddev == 0);
    CHECK_FALSE(summary.cv.has_value());
    CHECK_FALSE(summary.median_ci.has_value());
}

TEST_CASE("the median of an odd count is the middle value, of an even count the middle mean") {
    const std::vector<double> odd = {5, 1, 4, 2, 3};
    const std::vector<double> even = {8, 1, 4, 2};
    CHECK(summarize_repetitions(odd).median == 3);
    CHECK(summarize_repetitions(even).median == 3);
    CHECK(median_of(odd) == 3);
    CHECK(median_of(even) == 3);
    CHECK_THROWS_AS(median_of({}), std::invalid_argument);
}

TEST_CASE("the spread is the sample standard deviation and the cv its ratio to the mean") {
    // Mean 5; squared deviations sum to 32; sample variance 32 / 7.
    const std::vector<double> samples = {2, 4, 4, 4, 5, 5, 7, 9};
    const auto summary = summarize_repetitions(samples);
    CHECK(summary.count == 8);
    CHECK(summary.min == 2);
    CHECK(summary.max == 9);
    CHECK(summary.mean == 5);
    CHECK(summary.median == 4.5);
    CHECK(summary.stddev == Approx(std::sqrt(32.0 / 7)).epsilon(1e-15));
    REQUIRE(summary.cv.has_value());
    CHECK(*summary.cv == Approx(std::sqrt(32.0 / 7) / 5).epsilon(1e-15));
}

TEST_CASE("five repetitions have a cv but no 95 % interval, six have both") {
    const std::vector<double> five = {101, 99, 100, 102, 98};
    const std::vector<double> six = {101, 99, 100, 102, 98, 103};
    const auto of_five = summarize_repetitions(five);
    CHECK(of_five.cv.has_value());
    CHECK_FALSE(of_five.median_ci.has_value());
    const auto of_six = summarize_repetitions(six);
    REQUIRE(of_six.median_ci.has_value());
    CHECK(of_six.median_ci->low == 98);
    CHECK(of_six.median_ci->high == 103);
    CHECK(of_six.median_ci->coverage == Approx(0.96875));
}

TEST_CASE("a zero mean leaves the cv undefined") {
    const std::vector<double> samples = {-1, 1, 0};
    const auto summary = summarize_repetitions(samples);
    CHECK(summary.stddev == 1);
    CHECK_FALSE(summary.cv.has_value());
}

TEST_CASE("the summary does not depend on the order of the repetitions") {
    std::vector<double> samples = {10.5, 9.75, 11.25, 10.0, 9.5, 10.75, 12.0, 9.0, 10.25};
    const auto before = summarize_repetitions(samples);
    std::reverse(samples.begin(), samples.end());
    const auto after = summarize_repetitions(samples);
    CHECK(after.median == before.median);
    CHECK(after.stddev == Approx(before.stddev).epsilon(1e-15));
    REQUIRE(after.median_ci.has_value());
    CHECK(after.median_ci->low == before.median_ci->low);
    CHECK(after.median_ci->high == before.median_ci->high);
}
