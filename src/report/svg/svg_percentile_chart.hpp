#pragma once

#include <string>
#include <vector>

#include "stats/latency_histogram.hpp"

namespace benchctl {

// One point of a latency percentile curve.
struct PercentilePoint {
    double percentile = 0;  // 0 .. <100
    double value_us = 0;
};

// The latency percentile curve of `histogram`, at the percentiles HdrHistogram's percentile
// distribution reports (PercentileIterator, 5 ticks per half distance: the step halves each time
// the remaining distance to 100% halves), from 0% up to the highest percentile the count can
// tell apart from 100%, 100 * (1 - 1/count), capped at 99.9999%. Each value is
// value_at_percentile() of that percentile, except the last, which is the exact maximum (the
// plotter's 100% line drawn where the data ends). Empty for an empty histogram. One pass over
// the buckets, however many points.
std::vector<PercentilePoint> percentile_curve(const LatencyHistogram& histogram);

// Where `percentile` (0 .. <100) lies on HdrHistogram's plotter's log percentile axis:
// log10(1 / (1 - p/100)), so 0% -> 0, 90% -> 1, 99% -> 2, 99.9% -> 3.
double percentile_axis_position(double percentile);

// One cell's curve in a percentile chart.
struct PercentileSeries {
    std::string label;  // unescaped
    std::vector<PercentilePoint> points;
    std::size_t style_index = 0;  // series_style(style_index)
};

// A chart of latency (ms, linear) over percentile (log axis as above, ticks 0%, 90%, 99%,
// 99.9% ... up to the longest curve, at least 99%), one line per series, as an inline <svg>.
std::string render_percentile_chart(const std::string& title,
                                    const std::vector<PercentileSeries>& series);

}  // namespace benchctl
