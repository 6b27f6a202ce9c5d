#include "stats/sample_stats.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

using benchctl::summarize_samples;

TEST_CASE("an empty set of samples summarises to zeros") {
    const auto summary = summarize_samples({});
    CHECK(summary.mean == 0);
    CHECK(summary.stddev == 0);
    CHECK(summary.max == 0);
    CHECK(summary.percent_within_stddev == 0);
}

TEST_CASE("a single sample is its own mean and max with no spread") {
    const auto summary = summarize_samples({1370.5});
    CHECK(summary.mean == 1370.5);
    CHECK(summary.stddev == 0);
    CHECK(summary.max == 1370.5);
    CHECK(summary.percent_within_stddev == 100);
}

TEST_CASE("summarises with the population standard deviation") {
    // Mean 5, population stddev exactly 2; 4, 4, 4, 5, 5, 7 lie within [3, 7].
    const auto summary = summarize_samples({2, 4, 4, 4, 5, 5, 7, 9});
    CHECK(summary.mean == 5);
    CHECK(summary.stddev == Approx(2.0).epsilon(1e-15));
    CHECK(summary.max == 9);
    CHECK(summary.percent_within_stddev == 75);
}

TEST_CASE("the summary does not depend on the order of the samples") {
    std::vector<double> samples;
    std::mt19937_64 random(7);
    std::normal_distribution<> rate(1370, 318);
    for (int i = 0; i < 2000; ++i)
        samples.push_back(rate(random));
    const auto in_order = summarize_samples(samples);
    std::shuffle(samples.begin(), samples.end(), random);
    const auto shuffled = summarize_samples(samples);
    CHECK(shuffled.mean == Approx(in_order.mean).epsilon(1e-14));
    CHECK(shuffled.stddev == Approx(in_order.stddev).epsilon(1e-12));
    CHECK(shuffled.max == in_order.max);
    CHECK(shuffled.percent_within_stddev == in_order.percent_within_stddev);
    CHECK(in_order.percent_within_stddev == Approx(68.3).margin(2.5));
}

TEST_CASE("a large common offset does not cost precision") {
    const auto summary = summarize_samples({1e9, 1e9 + 1, 1e9 + 2});
    CHECK(summary.mean == 1e9 + 1);
    CHECK(summary.stddev == Approx(std::sqrt(2.0 / 3.0)).epsilon(1e-9));
    CHECK(summary.percent_within_stddev == Approx(100.0 / 3));
}
