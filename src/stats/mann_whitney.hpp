#pragma once

#include <cstddef>
#include <span>

namespace benchctl {

// How a Mann-Whitney p-value was obtained.
enum class MannWhitneyMethod {
    exact,   // the exact null distribution of U (small samples; with ties, given the ties)
    normal,  // the normal approximation with tie and continuity corrections
};

struct MannWhitneyResult {
    // U of the first sample: the number of pairs (x_i, y_j) with x_i > y_j, ties counting 1/2.
    // Ranges over [0, n_x * n_y]; n_x * n_y / 2 when neither sample tends to be larger.
    double u = 0;
    // Two-sided p-value of the hypothesis that both samples come from the same distribution
    // (against one tending to be larger than the other). 1 when either sample is empty.
    double p_value = 1;
    MannWhitneyMethod method = MannWhitneyMethod::exact;
};

// The Mann-Whitney U test (Mann & Whitney, Ann. Math. Statist. 18(1), 1947; Wilcoxon's rank-sum
// test in another form), two-sided, on two independent samples of finite values.
//
// Which distribution is used:
// - no value occurs twice (no ties) and C(n_x + n_y, n_x) <= 2^53, so that every count is an
//   integer a double holds exactly (every pair up to 28 vs 28, 10 vs 172, 6 vs 1362): the exact
//   distribution of U under the null hypothesis, counted as the coefficients of the Gaussian
//   binomial [n_x + n_y choose n_x]_q; p = 2 P(U >= max(U_x, U_y)), at most 1. This is
//   scipy.stats.mannwhitneyu(method="exact").
// - values tie and the exact counts fit as above, with n * k * n (n + 1) <= 10^8 (n pooled
//   values, k the smaller sample's size: every pair up to 28 vs 28 and 10 vs 172): the exact
//   permutation distribution of the smaller sample's mid-rank sum given the ties, the
//   distribution scipy.stats.permutation_test enumerates with n_resamples=inf; p = 2 min(P(R <=
//   r), P(R >= r)), at most 1. Benchmark figures tie often (a percentile from histogram buckets,
//   a count of requests in a fixed time), and the normal approximation is conservative at the
//   sizes compare sees: 5 vs 5 completely separated gets p = 0.012 from it, 0.0079 exactly.
// - otherwise: z = (max(U_x, U_y) - n_x n_y / 2 - 1/2) / sigma with the tie-corrected
//   sigma^2 = n_x n_y / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1))), t the size of each group of
//   equal values, and p = 2 P(Z >= z), at most 1 (scipy's method="asymptotic",
//   use_continuity=True). Without ties, just past
//   the exact limit, it differs from the exact p-value by at most 0.0029 (29 vs 29), 0.0056
//   (10 vs 173), 0.0095 (6 vs 1363), worst case over U (scipy 1.10's exact distribution).
// Never throws; returns p = 1, u = 0 when either sample is empty.
MannWhitneyResult mann_whitney_u(std::span<const double> x, std::span<const double> y);

}  // namespace benchctl
