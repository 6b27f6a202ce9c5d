#include "stats/mann_whitney.hpp"

#include <catch2/catch.hpp>
#include <vector>

using benchctl::mann_whitney_u;
using benchctl::MannWhitneyMethod;

// Reference p-values: computed once with Debian 12's python3-scipy 1.10.1,
//   scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method=M)
// with M = "exact" where this implementation uses the exact distribution and M = "asymptotic"
// (use_continuity=True, the default) where it uses the normal approximation. scipy's statistic
// is U of x, as here.

TEST_CASE("the exact p-values of small samples without ties match scipy") {
    struct Case {
        const char* name;
        std::vector<double> x, y;
        double u, p;
    };
    const std::vector<Case> cases = {
        {"5 vs 5 requests/sec",
         {10412.3, 10388.9, 10501.2, 10455.0, 10397.6},
         {10120.4, 10230.8, 10410.1, 10175.5, 10099.2},
         23,
         0.031746031746031744},
        {"9 vs 9 (Google Benchmark's recommended count)",
         {1.02, 0.98, 1.05, 1.01, 0.99, 1.03, 1.00, 0.97, 1.04},
         {1.06, 1.08, 1.015, 1.10, 1.07, 1.09, 1.055, 1.12, 1.035},
         6,
         0.0012340600575894691},
        {"3 vs 7", {3.1, 4.7, 2.2}, {5.5, 6.1, 4.9, 7.3, 2.9, 8.0, 6.6}, 2, 0.066666666666666666},
        {"1 vs 1", {1.0}, {2.0}, 0, 1.0},
        {"10 vs 10 fully separated",
         {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
         {11, 12, 13, 14, 15, 16, 17, 18, 19, 20},
         0,
         1.082508822446903e-05},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const auto result = mann_whitney_u(c.x, c.y);
        CHECK(result.method == MannWhitneyMethod::exact);
        CHECK(result.u == c.u);
        CHECK(result.p_value == Approx(c.p).epsilon(1e-12));
    }
}

TEST_CASE("the exact p-values of larger samples without ties match scipy") {
    // 20 vs 25 normal draws rounded to 3 decimals (numpy default_rng(12)).
    const std::vector<double> x20 = {99.966, 105.231, 103.708, 103.62,  108.094, 93.972, 96.865,
                                     93.397, 99.461,  104.994, 99.89,   102.479, 90.446, 100.735,
                                     95.465, 108.877, 104.434, 104.747, 99.711,  103.064};
    const std::vector<double> y25 = {107.289, 102.278, 101.513, 103.426, 100.973, 101.028, 102.583,
                                     100.358, 107.832, 96.02,   108.118, 100.872, 101.27,  97.246,
                                     103.279, 102.762, 104.957, 101.331, 104.469, 113.098, 106.045,
                                     101.132, 108.766, 103.356, 106.969};
    const auto result = mann_whitney_u(x20, y25);
    CHECK(result.method == MannWhitneyMethod::exact);
    CHECK(result.u == 183);
    CHECK(result.p_value == Approx(0.12970650911780426).epsilon(1e-12));
}

TEST_CASE("28 vs 28 is the largest balanced pair with the exact distribution") {
    std::vector<double> x, y;  // x_i = i + 0.25, y_j = 1.1 j + 4.5
    for (int i = 0; i < 28; ++i) {
        x.push_back(i + 0.25);
        y.push_back(i * 1.1 + 4.5);
    }
    const auto at_limit = mann_whitney_u(x, y);
    CHECK(at_limit.method == MannWhitneyMethod::exact);
    CHECK(at_limit.u == 257);
    CHECK(at_limit.p_value == Approx(0.026714447979446467).epsilon(1e-12));
    // scipy's asymptotic p-value here is 0.02752225340577226: 0.0008 away.

    x.push_back(28.25);
    y.push_back(28 * 1.1 + 4.5);
    CHECK(mann_whitney_u(x, y).method == MannWhitneyMethod::normal);
}

TEST_CASE("beyond the exact limit the normal approximation matches scipy's") {
    // 30 vs 30 normal draws rounded to 3 decimals (numpy default_rng(12), after the above).
    const std::vector<double> x30 = {51.838, 48.827, 44.209, 48.957, 51.654, 48.86,  51.317, 52.939,
                                     48.368, 53.694, 54.865, 53.237, 53.496, 53.29,  56.764, 50.558,
                                     50.006, 51.809, 47.275, 45.34,  47.354, 51.118, 51.419, 45.391,
                                     44.35,  49.052, 49.436, 49.852, 52.014, 53.687};
    const std::vector<double> y30 = {52.693, 53.838, 48.714, 48.471, 52.709, 53.994, 54.179, 53.778,
                                     54.353, 54.429, 46.743, 49.798, 53.365, 53.79,  47.464, 55.519,
                                     50.684, 51.303, 52.821, 54.249, 47.701, 54.97,  52.232, 49.688,
                                     51.174, 45.442, 50.057, 52.546, 49.873, 51.016};
    const auto of_30 = mann_whitney_u(x30, y30);
    CHECK(of_30.method == MannWhitneyMethod::normal);
    CHECK(of_30.u == 336);
    CHECK(of_30.p_value == Approx(0.093340796527088349).epsilon(1e-12));
    // scipy's exact p-value: 0.093497081670614046.

    std::vector<double> x, y;  // x_i = i + 0.25, y_j = 1.1 j + 7.5
    for (int i = 0; i < 100; ++i)
        x.push_back(i + 0.25);
    for (int j = 0; j < 100; ++j)
        y.push_back(j * 1.1 + 7.5);
    const auto of_100 = mann_whitney_u(x, y);
    CHECK(of_100.method == MannWhitneyMethod::normal);
    CHECK(of_100.u == 3914);
    CHECK(of_100.p_value == Approx(0.0079945797420573374).epsilon(1e-12));
    // scipy's exact p-value: 0.0078023636691387389.

    x.resize(0);
    y.resize(0);
    for (int i = 0; i < 120; ++i)
        x.push_back(i + 0.25);
    for (int j = 0; j < 110; ++j)
        y.push_back(j * 1.1 + 7.5);
    const auto of_230 = mann_whitney_u(x, y);
    CHECK(of_230.u == 5783);
    CHECK(of_230.p_value == Approx(0.10528128778298428).epsilon(1e-12));
}

TEST_CASE("tied small samples take the exact permutation distribution given the ties") {
    // References: scipy.stats.permutation_test((x, y), U, permutation_type="independent",
    // alternative="two-sided", n_resamples=np.inf) (scipy 1.10.1), which equals counting every
    // subset of the pooled mid-ranks (itertools.combinations over scipy.stats.rankdata).
    const std::vector<double> x = {3, 5, 5, 6, 7, 7, 7, 9};
    const std::vector<double> y = {4, 6, 6, 8, 8, 9, 9, 10, 10, 11};
    const auto result = mann_whitney_u(x, y);
    CHECK(result.method == MannWhitneyMethod::exact);
    CHECK(result.u == 19);
    CHECK(result.p_value == Approx(0.05681246857717446).epsilon(1e-12));
    const auto mixed = mann_whitney_u(std::vector<double>{1, 2, 2, 3, 3, 3, 4},
                                      std::vector<double>{2, 3, 4, 4, 5, 5});
    CHECK(mixed.u == 8.5);
    CHECK(mixed.p_value == Approx(0.10023310023310024).epsilon(1e-12));
    CHECK(mann_whitney_u(std::vector<double>{2, 3, 4, 4, 5, 5},
                         std::vector<double>{1, 2, 2, 3, 3, 3, 4})
              .p_value == Approx(0.10023310023310024).epsilon(1e-12));
}

TEST_CASE("5 vs 5 completely apart is significant at 0.01 even when values tie within a side") {
    // Percentiles read from histogram buckets tie: the normal approximation would say 0.012.
    const auto result = mann_whitney_u(std::vector<double>{15.26, 15.26, 15.3, 15.26, 15.2},
                                       std::vector<double>{18.29, 18.3, 18.29, 18.29, 18.4});
    CHECK(result.method == MannWhitneyMethod::exact);
    CHECK(result.u == 0);
    CHECK(result.p_value == Approx(2.0 / 252));
}

TEST_CASE("tied samples too large to count take the normal approximation with corrections") {
    std::vector<double> x, y;
    for (int i = 0; i < 40; ++i) {
        x.push_back(i % 7);
        y.push_back(i % 9);
    }
    const auto result = mann_whitney_u(x, y);
    CHECK(result.method == MannWhitneyMethod::normal);
    CHECK(result.u == 652);
    CHECK(result.p_value == Approx(0.15263092398558864).epsilon(1e-12));
}

TEST_CASE("identical samples of one repeated value give p = 1") {
    const std::vector<double> same = {2, 2, 2};
    const auto result = mann_whitney_u(same, same);
    CHECK(result.method == MannWhitneyMethod::exact);
    CHECK(result.u == 4.5);
    CHECK(result.p_value == 1);
}

TEST_CASE("5 vs 5 is significant at 0.05 for U <= 2 and not for U = 3, as the tables say") {
    // Two-sided critical value of U for n1 = n2 = 5 at alpha = 0.05: 2 (the usual tables of
    // critical values; P(U <= 2) = 4/252, P(U <= 3) = 7/252).
    const auto at_two =
        mann_whitney_u(std::vector<double>{1, 2, 3, 4, 7}, std::vector<double>{5, 6, 8, 9, 10});
    const auto at_three =
        mann_whitney_u(std::vector<double>{1, 2, 3, 4, 8}, std::vector<double>{5, 6, 7, 9, 10});
    CHECK(at_two.u == 2);
    CHECK(at_two.p_value == Approx(8.0 / 252));
    CHECK(at_two.p_value <= 0.05);
    CHECK(at_three.u == 3);
    CHECK(at_three.p_value == Approx(14.0 / 252));
    CHECK(at_three.p_value > 0.05);
}

TEST_CASE("swapping the samples keeps the p-value and mirrors U") {
    const std::vector<double> x = {3.1, 4.7, 2.2, 5.0};
    const std::vector<double> y = {5.5, 6.1, 4.9, 7.3, 2.9};
    const auto forward = mann_whitney_u(x, y);
    const auto backward = mann_whitney_u(y, x);
    CHECK(forward.u + backward.u == 20);
    CHECK(forward.p_value == Approx(backward.p_value).epsilon(1e-15));
}

TEST_CASE("an empty sample gives no evidence") {
    const std::vector<double> some = {1, 2, 3};
    const auto result = mann_whitney_u(some, {});
    CHECK(result.p_value == 1);
    CHECK(result.u == 0);
}
