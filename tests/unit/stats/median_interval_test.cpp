#include "stats/median_interval.hpp"

#include <catch2/catch.hpp>
#include <numeric>
#include <stdexcept>
#include <vector>

using benchctl::median_confidence_interval;
using benchctl::order_statistic_coverage;

namespace {

std::vector<double> first_integers(std::size_t n) {  // 1, 2, ..., n: x_(j) = j
    std::vector<double> values(n);
    std::iota(values.begin(), values.end(), 1.0);
    return values;
}

}  // namespace

TEST_CASE("below six values no 95 % interval of the median exists") {
    for (std::size_t n = 0; n < 6; ++n)
        CHECK_FALSE(median_confidence_interval(first_integers(n)).has_value());
    // Five values: [min, max] covers only 1 - 2/32.
    CHECK(order_statistic_coverage(5, 1) == Approx(0.9375));
}

TEST_CASE("the 95 % interval takes the order statistics of the published tables") {
    // Ranks and coverages computed once with Debian's scipy 1.10.1: for each n, the largest j
    // with 1 - 2 * scipy.stats.binom.cdf(j - 1, n, 0.5) >= 0.95, and that coverage.
    struct Row {
        std::size_t n, lower, upper;
        double coverage;
    };
    const Row rows[] = {
        {6, 1, 6, 0.96875},
        {7, 1, 7, 0.984375},
        {9, 2, 8, 0.9609375},
        {10, 2, 9, 0.978515625},
        {12, 3, 10, 0.96142578125},
        {15, 4, 12, 0.96484375},
        {20, 6, 15, 0.95861053466797},
        {30, 10, 21, 0.95722605474293},
        {50, 18, 33, 0.96716086243573},
        {100, 40, 61, 0.96479979978230},
        {1000, 469, 532, 0.95370880263950},
        {2000, 956, 1045, 0.95344717950822},
    };
    for (const Row& row : rows) {
        INFO("n = " << row.n);
        const auto interval = median_confidence_interval(first_integers(row.n));
        REQUIRE(interval.has_value());
        CHECK(interval->lower_rank == row.lower);
        CHECK(interval->upper_rank == row.upper);
        CHECK(interval->low == static_cast<double>(row.lower));
        CHECK(interval->high == static_cast<double>(row.upper));
        CHECK(interval->coverage == Approx(row.coverage).epsilon(1e-11));
    }
}

TEST_CASE("the interval is made of the sample's own values") {
    const std::vector<double> sorted = {9810,  9875,  9902,  9950,  9961,
                                        10012, 10040, 10093, 10110, 10420};
    const auto interval = median_confidence_interval(sorted);
    REQUIRE(interval.has_value());
    CHECK(interval->low == 9875);
    CHECK(interval->high == 10110);
}

TEST_CASE("a lower level gives a narrower interval") {
    const auto values = first_integers(20);
    const auto at_95 = median_confidence_interval(values, 0.95);
    const auto at_80 = median_confidence_interval(values, 0.80);
    REQUIRE(at_95.has_value());
    REQUIRE(at_80.has_value());
    CHECK(at_80->lower_rank > at_95->lower_rank);
    CHECK(at_80->coverage >= 0.80);
    CHECK(at_80->coverage < at_95->coverage);
}

TEST_CASE("a coverage equal to the level is accepted") {
    const auto interval = median_confidence_interval(first_integers(5), 0.9375);
    REQUIRE(interval.has_value());
    CHECK(interval->lower_rank == 1);
    CHECK(interval->upper_rank == 5);
}

TEST_CASE("a level outside (0, 1) is refused") {
    const auto values = first_integers(10);
    CHECK_THROWS_AS(median_confidence_interval(values, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(median_confidence_interval(values, 0.0), std::invalid_argument);
}

TEST_CASE("coverage is zero for ranks that do not make an interval") {
    CHECK(order_statistic_coverage(10, 0) == 0);
    CHECK(order_statistic_coverage(10, 6) == 0);
    CHECK(order_statistic_coverage(9, 5) == 0);  // the median alone
}
