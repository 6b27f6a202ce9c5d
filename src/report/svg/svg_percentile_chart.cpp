#include "report/svg/svg_percentile_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/svg/svg_line_chart.hpp"

namespace benchctl {

namespace {

constexpr double k_ticks_per_half_distance = 5;  // HdrHistogram's outputPercentileDistribution
constexpr double k_highest_percentile = 99.9999;

struct CumulativeBucket {
    std::uint64_t value_us = 0;  // the bucket's highest equivalent value
    std::uint64_t seen = 0;      // observations up to and including this bucket
};

std::vector<CumulativeBucket> cumulative_buckets(const LatencyHistogram& histogram) {
    std::vector<CumulativeBucket> buckets;
    std::uint64_t seen = 0;
    histogram.for_each_bucket([&](std::uint64_t value, std::uint64_t count) {
        seen += count;
        buckets.push_back({value, seen});
    });
    return buckets;
}

// LatencyHistogram::value_at_percentile's rank: ceil(p/100 * count), p moved one ulp down.
std::uint64_t rank_of(double percentile, std::uint64_t total) {
    const double requested = std::min(std::nextafter(percentile, 0.0), 100.0);
    const double fractional = requested / 100.0 * static_cast<double>(total);
    return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(fractional)));
}

// HdrHistogram's PercentileIterator step after `percentile`.
double next_percentile(double percentile) {
    const double half_distances = std::floor(std::log2(100.0 / (100.0 - percentile))) + 1;
    const double ticks = k_ticks_per_half_distance * std::pow(2.0, half_distances);
    return percentile + 100.0 / ticks;
}

std::string percentile_tick_label(int position) {
    if (position == 0)
        return "0%";
    const double percentile = 100.0 - std::pow(10.0, 2 - position);
    return fmt::format("{:.{}f}%", percentile, std::max(0, position - 2));
}

}  // namespace

double percentile_axis_position(double percentile) {
    return std::log10(100.0 / (100.0 - percentile));
}

std::vector<PercentilePoint> percentile_curve(const LatencyHistogram& histogram) {
    const std::uint64_t total = histogram.count();
    if (total == 0)
        return {};
    const double limit =
        std::min(k_highest_percentile, 100.0 * (1.0 - 1.0 / static_cast<double>(total)));
    const std::vector<CumulativeBucket> buckets = cumulative_buckets(histogram);
    const auto max = static_cast<double>(histogram.max());
    std::vector<PercentilePoint> curve{{0, static_cast<double>(histogram.min())}};
    std::size_t bucket = 0;
    for (double p = next_percentile(0); p < limit; p = next_percentile(p)) {
        const std::uint64_t rank = rank_of(p, total);
        while (bucket + 1 < buckets.size() && buckets[bucket].seen < rank)
            ++bucket;
        curve.push_back({p, std::min(static_cast<double>(buckets[bucket].value_us), max)});
    }
    curve.push_back({limit, max});
    return curve;
}

std::string render_percentile_chart(const std::string& title,
                                    const std::vector<PercentileSeries>& series) {
    LineChart chart;
    chart.title = title;
    chart.x_title = "percentile (log scale)";
    chart.y_title = "latency (ms)";
    double longest = 2;
    for (const PercentileSeries& one : series) {
        LineSeries line{one.label, {}, one.style_index};
        for (const PercentilePoint& point : one.points) {
            const double x = percentile_axis_position(point.percentile);
            longest = std::max(longest, x);
            line.points.emplace_back(x, point.value_us / 1000.0);
        }
        chart.series.push_back(std::move(line));
    }
    chart.x_max = std::ceil(longest - 1e-9);
    for (int position = 0; position <= static_cast<int>(chart.x_max); ++position)
        chart.x_ticks.push_back({static_cast<double>(position), percentile_tick_label(position)});
    return render_line_chart(chart);
}

}  // namespace benchctl
