#include "stats/portable_random.hpp"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <vector>

using benchctl::PortableRandom;

TEST_CASE("the same seed gives the same draws and another seed other draws") {
    PortableRandom a(42), b(42), c(43);
    std::vector<std::uint64_t> from_a, from_b, from_c;
    for (int i = 0; i < 100; ++i) {
        from_a.push_back(a.below(1000));
        from_b.push_back(b.below(1000));
        from_c.push_back(c.below(1000));
    }
    CHECK(from_a == from_b);
    CHECK(from_a != from_c);
}

TEST_CASE("draws below a bound are uniform over the bound") {
    PortableRandom random(7);
    std::array<int, 6> counts{};
    const int draws = 60000;
    for (int i = 0; i < draws; ++i) {
        const auto value = random.below(6);
        REQUIRE(value < 6);
        ++counts[value];
    }
    // Each count is Binomial(60000, 1/6): mean 10000, sd 91; 5 sd is a failure, not chance.
    for (const int count : counts)
        CHECK(std::abs(count - 10000) < 455);
}

TEST_CASE("a bound of one always gives zero") {
    PortableRandom random(1);
    for (int i = 0; i < 10; ++i)
        CHECK(random.below(1) == 0);
}

TEST_CASE("unit draws lie between 0 (included) and 1 (excluded) with mean one half") {
    PortableRandom random(3);
    double sum = 0;
    for (int i = 0; i < 100000; ++i) {
        const double u = random.unit();
        REQUIRE(u >= 0);
        REQUIRE(u < 1);
        sum += u;
    }
    CHECK(sum / 100000 == Approx(0.5).margin(0.005));  // sd of the mean 0.0009
}

TEST_CASE("normal draws have mean 0 and standard deviation 1") {
    PortableRandom random(11);
    const int n = 200000;
    double sum = 0, squares = 0;
    int beyond_two_sd = 0;
    for (int i = 0; i < n; ++i) {
        const double z = random.standard_normal();
        sum += z;
        squares += z * z;
        beyond_two_sd += std::fabs(z) > 2 ? 1 : 0;
    }
    const double mean = sum / n;
    CHECK(mean == Approx(0).margin(0.01));  // sd of the mean 0.0022
    CHECK(std::sqrt(squares / n - mean * mean) == Approx(1).margin(0.01));
    CHECK(static_cast<double>(beyond_two_sd) / n == Approx(0.0455).margin(0.003));
}

TEST_CASE("a shuffle is a permutation and reaches every order") {
    PortableRandom random(5);
    std::array<int, 3> items{0, 1, 2};
    std::vector<std::array<int, 3>> seen;
    for (int i = 0; i < 600; ++i) {
        random.shuffle(std::span<int>(items));
        auto sorted = items;
        std::sort(sorted.begin(), sorted.end());
        REQUIRE(sorted == std::array<int, 3>{0, 1, 2});
        seen.push_back(items);
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    CHECK(seen.size() == 6);
}
