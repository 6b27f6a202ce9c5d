#pragma once

#include <cstddef>
#include <optional>
#include <span>

#include "stats/median_interval.hpp"

namespace benchctl {

// What N repetitions of one measurement (one cell, one metric) say together. The median is the
// figure to quote: it ignores the odd disturbed repetition that the mean absorbs.
struct RepetitionSummary {
    std::size_t count = 0;
    double median = 0;  // middle value; the mean of the two middle values when count is even
    double min = 0;
    double max = 0;
    double mean = 0;
    // Sample standard deviation (divides by count - 1); 0 when count < 2.
    double stddev = 0;
    // Coefficient of variation stddev / |mean|, as a fraction (0.05 = 5 %). Absent when
    // count < 2 (one value says nothing about spread) or the mean is 0.
    std::optional<double> cv;
    // 95 % confidence interval of the median by order statistics (see median_interval.hpp).
    // Absent when count < 6: no pair of order statistics covers 95 % below that.
    std::optional<MedianInterval> median_ci;
};

// Summarises `samples` (any order, finite values). Returns all zeros and no cv/CI for an empty
// span. O(n log n): sorts a copy.
RepetitionSummary summarize_repetitions(std::span<const double> samples);

// The median of `samples` (any order): the middle value, or the mean of the two middle values.
// Throws std::invalid_argument when `samples` is empty.
double median_of(std::span<const double> samples);

}  // namespace benchctl
