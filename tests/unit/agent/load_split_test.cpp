#include "agent/load_split.hpp"

#include <catch2/catch.hpp>
#include <numeric>

#include "util/error.hpp"

using namespace benchctl;

namespace {

LoadSettings base(unsigned connections, unsigned threads = 2) {
    LoadSettings settings;
    settings.connections = connections;
    settings.threads = threads;
    return settings;
}

template <typename Field>
std::uint64_t total(const std::vector<LoadSettings>& parts, Field field) {
    std::uint64_t sum = 0;
    for (const LoadSettings& part : parts)
        sum += field(part);
    return sum;
}

}  // namespace

TEST_CASE("apportioning gives each its floor, then the largest remainders, and sums exactly") {
    CHECK(apportion(10, {1, 1}) == std::vector<std::uint64_t>{5, 5});
    CHECK(apportion(11, {1, 1}) == std::vector<std::uint64_t>{6, 5});  // ties to the first
    CHECK(apportion(10, {2, 1}) == std::vector<std::uint64_t>{7, 3});  // 6.67, 3.33
    CHECK(apportion(100, {1, 1, 1}) == std::vector<std::uint64_t>{34, 33, 33});
    CHECK(apportion(0, {1, 3}) == std::vector<std::uint64_t>{0, 0});
    for (std::uint64_t n : {1u, 7u, 99u, 1000u, 1234567u}) {
        auto parts = apportion(n, {0.3, 1.7, 2.0, 5.5});
        CHECK(std::accumulate(parts.begin(), parts.end(), std::uint64_t{0}) == n);
    }
}

TEST_CASE("a load splits its connections evenly or by weight, threads staying per agent") {
    auto even = split_load(base(9, 4), {1, 1});
    CHECK(even[0].connections == 5);
    CHECK(even[1].connections == 4);
    CHECK(even[0].threads == 4);
    auto weighted = split_load(base(12, 4), {3, 1});
    CHECK(weighted[0].connections == 9);
    CHECK(weighted[1].connections == 3);
    CHECK(weighted[1].threads == 3);  // never more threads than connections
    CHECK(weighted[0].duration == base(1).duration);
}

TEST_CASE("a rate splits by weight and adds up to the whole") {
    LoadSettings settings = base(10);
    settings.rate_per_sec = 3000;
    auto parts = split_load(settings, {2, 1});
    CHECK(*parts[0].rate_per_sec == Approx(2000));
    CHECK(*parts[1].rate_per_sec == Approx(1000));
}

TEST_CASE("-n requests and warm-up requests split exactly, never fewer requests than connections") {
    LoadSettings settings = base(10);
    settings.stop_rule = StopRule::requests;
    settings.total_requests = 10;  // exactly one per connection
    settings.warmup.requests = 3;
    auto parts = split_load(settings, {1, 3});
    CHECK(total(parts, [](const LoadSettings& p) { return p.total_requests; }) == 10);
    for (const LoadSettings& part : parts) {
        CHECK(part.total_requests >= part.connections);
        CHECK_NOTHROW(validate_load_settings(part, LoadSettingNames::keys()));
    }
    CHECK(total(parts, [](const LoadSettings& p) { return p.warmup.requests.value_or(0); }) == 3);

    settings.total_requests = 1001;
    parts = split_load(settings, {1, 1, 1});
    CHECK(total(parts, [](const LoadSettings& p) { return p.total_requests; }) == 1001);
}

TEST_CASE("iterations stay per connection, so the agents' totals add up") {
    LoadSettings settings = base(6);
    settings.stop_rule = StopRule::iterations;
    settings.iterations = 40;
    auto parts = split_load(settings, {1, 1});
    CHECK(parts[0].iterations == 40);
    CHECK(total(parts, [](const LoadSettings& p) { return p.connections * p.iterations; }) == 240);
}

TEST_CASE(
    "a load with fewer connections than agents, or a weight that is not positive, is refused") {
    try {
        split_load(base(1, 1), {1, 1});
        FAIL("one connection was split over two agents");
    } catch (const UserError& error) {
        CHECK(error.where() == "load.connections");
        CHECK(std::string(error.what()) == "1 connection cannot give each of the 2 agents one");
    }
    CHECK_THROWS_AS(split_load(base(10), {1, 0}), UserError);
    CHECK_THROWS_AS(split_load(base(10), {}), UserError);
    // A weight so small its agent would get no connection.
    CHECK_THROWS_AS(split_load(base(3), {100, 1}), UserError);
}
