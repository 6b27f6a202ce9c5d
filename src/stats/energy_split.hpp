#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace benchctl {

// The best place to cut a segment in two, by the energy statistic.
struct EnergySplit {
    std::size_t index = 0;  // first point of the second part; 0 when no cut is allowed
    double q = 0;           // Q-hat at that cut
};

// Computes the divergence statistic of Matteson & James (2014), "A Nonparametric Approach for
// Multiple Change Point Analysis of Multivariate Data", JASA 109(505), eq. (5)-(6), with
// alpha = 1 on a univariate segment z_0..z_{m-1}, for every cut tau into X = z[0, tau) and
// Y = z[tau, m):
//
//   E(tau) = 2/(n k) sum_{i<tau<=j} |z_i - z_j| - C(n,2)^-1 sum_{i<i'<tau} |z_i - z_i'|
//            - C(k,2)^-1 sum_{tau<=j<j'} |z_j - z_j'|,        n = tau, k = m - tau,
//   Q(tau) = n k / (n + k) * E(tau)
//
// (a within-part sum of a single point is 0). The three sums for all cuts come from two passes
// over the segment that insert one point at a time into a Fenwick tree (Fenwick, Software:
// Practice and Experience 24(3), 1994) over the points' ranks: the distances from a new point to
// the points already in are (count below * z - sum below) + (sum above - count above * z), so a
// whole scan costs O(m log m) instead of the O(m^2) of a distance matrix. As MongoDB's
// implementation does, Y runs to the end of the segment (Matteson & James also search its end,
// kappa).
//
// The object only keeps scratch space, so that a permutation test allocates nothing per
// permutation; it is cheap to construct, not thread-safe to share.
class EnergySplitScan {
  public:
    // Fills q() for `values`. ranks[i] must be the position of values[i] in a stable ascending
    // sort of `values` (a permutation of 0..m-1; ties may be ordered either way). Values should be
    // centred (their magnitude only costs precision: distances are translation-invariant).
    void scan(std::span<const double> values, std::span<const std::uint32_t> ranks);

    // q()[tau] = Q(tau) for 1 <= tau <= m - 1 of the last scan; q()[0] is 0.
    std::span<const double> q() const { return m_q; }

    // The cut with the largest Q among those that leave at least `min_segment` points on either
    // side (the first of equal maxima). index 0 when the segment is shorter than 2 * min_segment.
    EnergySplit best(std::size_t min_segment) const;

  private:
    void prefix_within_sums(std::span<const double> values, std::span<const std::uint32_t> ranks,
                            bool backwards, std::vector<double>& within);

    std::vector<double> m_count_tree;
    std::vector<double> m_sum_tree;
    std::vector<double> m_within_before;  // [tau]: pairwise distance sum within z[0, tau)
    std::vector<double> m_within_after;   // [tau]: pairwise distance sum within z[tau, m)
    std::vector<double> m_q;
};

// Ranks for EnergySplitScan::scan: ranks[i] = position of values[i] in ascending order.
std::vector<std::uint32_t> ascending_ranks(std::span<const double> values);

// Mid-ranks: 1..m in ascending order, equal values sharing the mean of their ranks.
std::vector<double> mid_ranks(std::span<const double> values);

}  // namespace benchctl
