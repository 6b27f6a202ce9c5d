#include "stats/energy_split.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "synthetic_series.hpp"

using benchctl::ascending_ranks;
using benchctl::EnergySplitScan;

namespace {

// Matteson & James's Q-hat with alpha = 1 straight from its definition, O(m^2) per cut.
double naive_q(const std::vector<double>& z, std::size_t tau) {
    const std::size_t m = z.size();
    const double n = static_cast<double>(tau);
    const double k = static_cast<double>(m - tau);
    double between = 0, within_x = 0, within_y = 0;
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j) {
            const double d = std::fabs(z[i] - z[j]);
            if (j < tau)
                within_x += d;
            else if (i >= tau)
                within_y += d;
            else
                between += d;
        }
    const double x_term = n > 1 ? within_x / (n * (n - 1) / 2) : 0;
    const double y_term = k > 1 ? within_y / (k * (k - 1) / 2) : 0;
    return n * k / (n + k) * (2 * between / (n * k) - x_term - y_term);
}

}  // namespace

TEST_CASE("the scan's statistic equals Matteson and James's definition at every cut") {
    auto values = benchctl::test::noisy_series(37, 0, 1, 99);
    values[5] = values[20];  // ties must not matter
    values[6] = values[20];
    EnergySplitScan scan;
    scan.scan(values, ascending_ranks(values));
    REQUIRE(scan.q().size() == values.size());
    for (std::size_t tau = 1; tau < values.size(); ++tau) {
        INFO("tau = " << tau);
        CHECK(scan.q()[tau] == Approx(naive_q(values, tau)).epsilon(1e-10).margin(1e-12));
    }
}

TEST_CASE("the best cut of a clear step is at the step") {
    std::vector<double> values = benchctl::test::noisy_series(40, 100, 0.01, 3);
    benchctl::test::add_step(values, 25, 0.10);
    EnergySplitScan scan;
    scan.scan(values, ascending_ranks(values));
    const auto best = scan.best(3);
    CHECK(best.index == 25);
    CHECK(best.q > 0);
}

TEST_CASE("the best cut leaves at least the minimum segment on either side") {
    std::vector<double> values = {1, 1, 1, 1, 1, 1, 1, 9, 9};  // the jump leaves two points
    EnergySplitScan scan;
    scan.scan(values, ascending_ranks(values));
    CHECK(scan.best(1).index == 7);
    CHECK(scan.best(3).index == 6);  // as close to the jump as three points allow
    CHECK(scan.best(5).index == 0);  // 9 points cannot hold two segments of 5
}

TEST_CASE("ranks follow ascending order and keep ties in series order") {
    const std::vector<double> values = {3.5, 1.0, 2.0, 1.0};
    CHECK(ascending_ranks(values) == std::vector<std::uint32_t>{3, 0, 2, 1});
}

TEST_CASE("a constant segment has zero statistic at every cut") {
    const std::vector<double> values(12, 42.0);
    EnergySplitScan scan;
    scan.scan(values, ascending_ranks(values));
    for (std::size_t tau = 1; tau < values.size(); ++tau)
        CHECK(scan.q()[tau] == 0);
}
