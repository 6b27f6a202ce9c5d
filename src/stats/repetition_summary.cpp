#include "stats/repetition_summary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace benchctl {
namespace {

double median_of_sorted(const std::vector<double>& sorted) {
    const std::size_t n = sorted.size();
    const std::size_t middle = n / 2;
    // Halves first: the sum of two values near DBL_MAX would overflow.
    return n % 2 == 1 ? sorted[middle] : sorted[middle - 1] / 2 + sorted[middle] / 2;
}

// Two passes (mean, then squared deviations from it) to avoid the cancellation of the one-pass
// sum-of-squares formula, as sample_stats.cpp does.
void add_moments(const std::vector<double>& sorted, RepetitionSummary& summary) {
    const auto n = static_cast<long double>(sorted.size());
    long double sum = 0;
    for (const double value : sorted)
        sum += value;
    const long double mean = sum / n;
    summary.mean = static_cast<double>(mean);
    if (sorted.size() < 2)
        return;
    long double squared_deviations = 0;
    for (const double value : sorted)
        squared_deviations += (value - mean) * (value - mean);
    summary.stddev = static_cast<double>(std::sqrt(squared_deviations / (n - 1)));
    if (summary.mean != 0)
        summary.cv = summary.stddev / std::fabs(summary.mean);
}

}  // namespace

double median_of(std::span<const double> samples) {
    if (samples.empty())
        throw std::invalid_argument("median_of: no samples");
    std::vector<double> sorted(samples.begin(), samples.end());
    std::sort(sorted.begin(), sorted.end());
    return median_of_sorted(sorted);
}

RepetitionSummary summarize_repetitions(std::span<const double> samples) {
    RepetitionSummary summary;
    if (samples.empty())
        return summary;
    std::vector<double> sorted(samples.begin(), samples.end());
    std::sort(sorted.begin(), sorted.end());
    summary.count = sorted.size();
    summary.median = median_of_sorted(sorted);
    summary.min = sorted.front();
    summary.max = sorted.back();
    add_moments(sorted, summary);
    summary.median_ci = median_confidence_interval(sorted, 0.95);
    return summary;
}

}  // namespace benchctl
