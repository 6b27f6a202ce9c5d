#include "load/weighted_choice.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "load/fast_random.hpp"

using namespace benchctl;

TEST_CASE("weighted choices follow their weights: chi-square over 100,000 draws") {
    const std::vector<double> weights = {3, 1, 0.5, 5.5};
    const WeightedChoice choice(weights);
    FastRandom random(20261130);
    constexpr int k_draws = 100'000;
    std::vector<double> counts(weights.size(), 0);
    for (int i = 0; i < k_draws; ++i)
        ++counts[choice.pick(random.unit())];
    double chi_square = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double expected = k_draws * weights[i] / 10.0;
        chi_square += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    // 3 degrees of freedom: P(chi2 > 16.27) = 0.001. A skew of one percentage point on the
    // first weight alone would give chi2 of about 48.
    CHECK(chi_square < 16.27);
}

TEST_CASE("a weighted choice maps the lowest and highest draws to the first and last index") {
    const WeightedChoice choice({1, 1, 2});
    CHECK(choice.pick(0.0) == 0);
    CHECK(choice.pick(0.2499) == 0);
    CHECK(choice.pick(0.25) == 1);
    CHECK(choice.pick(0.5) == 2);
    CHECK(choice.pick(0.9999999999) == 2);
    CHECK(WeightedChoice({7}).pick(0.7) == 0);
}

TEST_CASE("the same seed gives the same random sequence, and threads get distinct streams") {
    FastRandom a(42), b(42), c(thread_seed(42, 1));
    bool all_same = true, any_differs_from_other_thread = false;
    FastRandom d(thread_seed(42, 0));
    for (int i = 0; i < 100; ++i) {
        const std::uint64_t x = a.next();
        all_same = all_same && x == b.next();
        any_differs_from_other_thread = any_differs_from_other_thread || c.next() != d.next();
    }
    CHECK(all_same);
    CHECK(any_differs_from_other_thread);
    for (int i = 0; i < 1000; ++i)
        CHECK(a.below(7) < 7);
}
