#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace benchctl {

// A distribution-free confidence interval of the median: [x_(lower_rank), x_(upper_rank)], two
// order statistics of the sample (ranks counted from 1 in ascending order).
struct MedianInterval {
    double low = 0;
    double high = 0;
    std::size_t lower_rank = 0;
    std::size_t upper_rank = 0;
    // The exact probability that the interval covers the true median, >= the level asked for
    // (order statistics give discrete levels: 0.969 for 6 values, 0.979 for 10).
    double coverage = 0;
};

// The narrowest symmetric order-statistics interval whose coverage is at least `level`.
//
// Method: the number B of sample values below the population median is Binomial(n, 1/2) for any
// continuous distribution, so [x_(j), x_(n+1-j)] covers the median with probability
// P(j <= B <= n - j) = 1 - 2 P(B <= j - 1), exactly; the largest j whose coverage is >= level is
// taken. This is the interval of the quantile (sign) test: Conover, Practical Nonparametric
// Statistics, 3rd ed. (Wiley 1999), ch. 3; David & Nagaraja, Order Statistics, 3rd ed. (Wiley
// 2003), ch. 7.
//
// `sorted` must be in ascending order. Returns nothing when even [min, max] covers less than
// `level` (coverage 1 - 2^(1-n): for level 0.95, every n < 6; n = 5 reaches only 0.9375).
// Throws std::invalid_argument when `level` is not in (0, 1).
std::optional<MedianInterval> median_confidence_interval(std::span<const double> sorted,
                                                         double level = 0.95);

// The exact coverage of [x_(j), x_(n+1-j)] for a sample of n: 1 - 2 P(Binomial(n, 1/2) <= j - 1).
// Requires 1 <= j <= (n + 1) / 2; returns 0 otherwise.
double order_statistic_coverage(std::size_t n, std::size_t j);

}  // namespace benchctl
