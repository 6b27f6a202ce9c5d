#include "stats/median_interval.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace benchctl {
namespace {

// P(B = i) for B ~ Binomial(n, 1/2), through logarithms so that 2^-n does not underflow before
// the binomial coefficient multiplies it back (n > 1074).
double binomial_half_pmf(std::size_t n, std::size_t i) {
    const double dn = static_cast<double>(n);
    const double di = static_cast<double>(i);
    const double log_pmf = std::lgamma(dn + 1) - std::lgamma(di + 1) - std::lgamma(dn - di + 1) -
                           dn * std::numbers::ln2;
    return std::exp(log_pmf);
}

// Rounding in the binomial sums must not turn a coverage that equals the level exactly (0.9375
// for n = 5 at level 0.9375) into a refusal.
constexpr double k_coverage_tolerance = 1e-12;

}  // namespace

double order_statistic_coverage(std::size_t n, std::size_t j) {
    if (j < 1 || 2 * j > n + 1)
        return 0;
    double below = 0;  // P(B <= j - 1)
    for (std::size_t i = 0; i < j; ++i)
        below += binomial_half_pmf(n, i);
    return std::max(0.0, 1 - 2 * below);
}

std::optional<MedianInterval> median_confidence_interval(std::span<const double> sorted,
                                                         double level) {
    if (!(level > 0 && level < 1))
        throw std::invalid_argument("median_confidence_interval: level must be in (0, 1)");
    const std::size_t n = sorted.size();
    if (n == 0)
        return std::nullopt;

    // Coverage falls as j grows: walk j up, keeping P(B <= j - 1) as a running sum, and stop
    // before the first j whose interval covers less than the level.
    double below = binomial_half_pmf(n, 0);  // P(B <= 0): the coverage of j = 1 is 1 - 2 * this
    if (1 - 2 * below < level - k_coverage_tolerance)
        return std::nullopt;
    std::size_t j = 1;
    while (2 * (j + 1) <= n + 1) {
        const double next_below = below + binomial_half_pmf(n, j);
        if (1 - 2 * next_below < level - k_coverage_tolerance)
            break;
        below = next_below;
        ++j;
    }

    MedianInterval interval;
    interval.lower_rank = j;
    interval.upper_rank = n + 1 - j;
    interval.low = sorted[interval.lower_rank - 1];
    interval.high = sorted[interval.upper_rank - 1];
    interval.coverage = std::max(0.0, 1 - 2 * below);
    return interval;
}

}  // namespace benchctl
