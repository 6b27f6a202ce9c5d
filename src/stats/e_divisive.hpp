#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace benchctl {

// What the distances of the energy statistic measure.
enum class ChangePointScale {
    // The values themselves: Matteson & James's E-Divisive with alpha = 1.
    values,
    // The values' mid-ranks within the segment being cut: a rank statistic, so one disturbed
    // night weighs no more than the most extreme ordinary one. In one dimension the energy
    // distance is 2 * integral (F - G)^2 (Szekely & Rizzo, "Energy statistics: a class of
    // statistics based on distances", J. Stat. Planning and Inference 143(8), 2013); on ranks
    // that integral is the sum of the two-sample Cramer-von Mises statistic (Anderson, Ann. Math.
    // Statist. 33(3), 1962), so the cut is judged by a close kin of that rank test. It costs some
    // early detection (bench/README.md).
    ranks,
};

// Settings of the change-point search. The defaults are those `history check` uses; see
// docs/statistics.md and bench/README.md for how they were chosen.
struct ChangePointOptions {
    // Significance level of the permutation test: a candidate is a change point when its p-value
    // is at most this.
    double alpha = 0.02;
    // Permutations per test (R). The smallest attainable p-value is 1 / (R + 1), so R must be at
    // least 1 / alpha - 1.
    std::size_t permutations = 199;
    // Fewest points on either side of a change point; 1 lets a single point be a segment.
    std::size_t min_segment = 3;
    ChangePointScale scale = ChangePointScale::values;
    // Seed of the permutations: the same series and options always give the same answer.
    std::uint64_t seed = 0x5eed'c4a1'9e0f'0001;
};

// One change in a series: the points from `index` on differ in distribution from those before.
struct ChangePoint {
    std::size_t index = 0;  // the first point after the change (never 0)
    // Permutation p-value of the test that accepted it, (exceedances + 1) / (R + 1); the
    // confidence quoted to users is 1 - p_value.
    double p_value = 1;
    double q = 0;  // the energy statistic Q-hat of the cut (see energy_split.hpp)
    // The segments on either side, up to the neighbouring change points (or the series' ends).
    std::size_t before_begin = 0;
    std::size_t after_end = 0;
    double mean_before = 0;
    double mean_after = 0;
    double median_before = 0;
    double median_after = 0;
    // median_after / median_before - 1 (0.05 = 5 % higher after the change); absent when
    // median_before is 0.
    std::optional<double> relative_change;
};

// E-Divisive (Matteson & James, "A Nonparametric Approach for Multiple Change Point Analysis of
// Multivariate Data", JASA 109(505), 2014, section 3), with alpha = 1, as MongoDB runs it on its
// nightly performance series (Daly et al., "The Use of Change Point Detection to Identify
// Software Performance Regressions in a Continuous Integration System", ICPE 2020):
//   1. in every segment between the change points found so far, the cut with the largest
//      energy statistic Q (EnergySplitScan, each side >= min_segment points);
//   2. the best of those cuts is tested: the points of every segment are permuted within it R
//      times, and each time the largest Q over all segments is recomputed; p = (number of
//      permuted maxima >= the observed one + 1) / (R + 1);
//   3. p <= alpha: the cut is a change point, back to 1; otherwise stop;
//   4. each change point moves to the best cut between its two neighbours, until none moves: the
//      first cut of a staircase (two steps the same way) can fall between the steps, where a
//      single cut fits best; between its final neighbours the best cut is the step. Its p-value
//      stays that of step 2.
// A test stops drawing permutations as soon as enough maxima have reached the observed one for
// p > alpha to be certain (Besag & Clifford, "Sequential Monte Carlo p-values", Biometrika
// 78(2), 1991): decisions are those of all R permutations, at a fraction of the cost when
// there is no change.
//
// Returns the change points in index order; none for a series shorter than 2 * min_segment or
// without a significant change. Non-finite values are the caller's to remove. O(R m log m) per
// test on m points. Throws std::invalid_argument when the options are out of range.
std::vector<ChangePoint> detect_change_points(std::span<const double> series,
                                              const ChangePointOptions& options = {});

}  // namespace benchctl
