#include "history/regression_gate.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

#include "../stats/synthetic_series.hpp"

using benchctl::BetterWhen;
using benchctl::check_newest_change;
using benchctl::GateOptions;
using benchctl::test::add_step;
using benchctl::test::noisy_series;

// 40 nights of requests/sec (higher is better) around 10,000 with 3 % noise.

TEST_CASE("a series without a change passes the gate") {
    const auto series = noisy_series(40, 10000, 0.03, 1);
    const auto verdict = check_newest_change(series, BetterWhen::higher);
    CHECK_FALSE(verdict.regression);
    CHECK_FALSE(verdict.newest_change.has_value());
}

TEST_CASE("a drop over the newest nights fails the gate for a higher-is-better metric") {
    auto series = noisy_series(40, 10000, 0.03, 2);
    add_step(series, 34, -0.08);  // six nights 8 % down
    const auto verdict = check_newest_change(series, BetterWhen::higher);
    CHECK(verdict.regression);
    REQUIRE(verdict.newest_change.has_value());
    CHECK(verdict.newest_change->index >= 33);
    CHECK(verdict.newest_change->index <= 35);
    CHECK(*verdict.newest_change->relative_change < 0);
}

TEST_CASE("the same step is an improvement for a higher-is-better metric") {
    auto series = noisy_series(40, 10000, 0.03, 2);
    add_step(series, 34, 0.08);
    const auto verdict = check_newest_change(series, BetterWhen::higher);
    REQUIRE(verdict.newest_change.has_value());
    CHECK_FALSE(verdict.regression);
    // ... and a regression of a latency (lower is better).
    CHECK(check_newest_change(series, BetterWhen::lower).regression);
}

TEST_CASE("a regression older than the recent window no longer fails the gate") {
    auto series = noisy_series(60, 10000, 0.03, 2);
    add_step(series, 30, -0.08);  // 30 nights ago
    GateOptions options;
    const auto verdict = check_newest_change(series, BetterWhen::higher, options);
    REQUIRE(verdict.newest_change.has_value());
    CHECK(verdict.newest_change->index <= 31);
    CHECK_FALSE(verdict.regression);
    options.recent_points = 40;
    CHECK(check_newest_change(series, BetterWhen::higher, options).regression);
}

TEST_CASE("one bad night is not a regression") {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        INFO("seed " << seed);
        auto series = noisy_series(40, 10000, 0.03, seed);
        series.back() *= 0.7;
        CHECK_FALSE(check_newest_change(series, BetterWhen::higher).regression);
    }
}

TEST_CASE("a significant change smaller than the minimum is let through") {
    auto series = noisy_series(40, 10000, 0.005, 3);  // quiet machine: 2 % is significant
    add_step(series, 34, -0.02);
    GateOptions options;
    CHECK(check_newest_change(series, BetterWhen::higher, options).regression);
    options.min_relative_change = 0.05;
    const auto verdict = check_newest_change(series, BetterWhen::higher, options);
    CHECK(verdict.newest_change.has_value());
    CHECK_FALSE(verdict.regression);
}

TEST_CASE("with two confirmations the night before must have failed too") {
    GateOptions once;
    GateOptions twice;
    twice.confirmations = 2;
    int confirmed = 0, unconfirmed = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed)
        for (std::size_t step = 33; step <= 38; ++step) {
            INFO("seed " << seed << ", step at night " << step);
            auto series = noisy_series(40, 10000, 0.03, seed);
            add_step(series, step, -0.08);
            const bool tonight = check_newest_change(series, BetterWhen::higher, once).regression;
            const auto earlier = std::span<const double>(series).first(series.size() - 1);
            const bool last_night =
                check_newest_change(earlier, BetterWhen::higher, once).regression;
            CHECK(check_newest_change(series, BetterWhen::higher, twice).regression ==
                  (tonight && last_night));
            confirmed += tonight && last_night ? 1 : 0;
            unconfirmed += tonight && !last_night ? 1 : 0;
        }
    // Both cases occur, so the equality above is not vacuous.
    CHECK(confirmed > 0);
    CHECK(unconfirmed > 0);

    GateOptions none;
    none.confirmations = 0;
    CHECK_THROWS_AS(check_newest_change(noisy_series(40, 1, 0.03, 1), BetterWhen::higher, none),
                    std::invalid_argument);
}
