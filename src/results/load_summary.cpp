#include "results/load_summary.hpp"

#include <fmt/format.h>

namespace benchctl {

LoadSummary summarize(const LoadResult& result) {
    LoadSummary summary;
    summary.requests_per_sec = result.requests_per_sec();
    summary.bytes_read_per_sec = result.bytes_read_per_sec();
    summary.non_2xx_3xx = result.non_2xx_3xx();
    const LatencyHistogram& histogram = result.latency;
    const auto at = [&](double percentile) {
        return LatencyFigure::from_us(
            static_cast<double>(histogram.value_at_percentile(percentile)));
    };
    LatencySummary& latency = summary.latency;
    latency.count = histogram.count();
    latency.min = LatencyFigure::from_us(static_cast<double>(histogram.min()));
    latency.mean = LatencyFigure::from_us(histogram.mean());
    latency.stddev = LatencyFigure::from_us(histogram.stddev());
    latency.max = LatencyFigure::from_us(static_cast<double>(histogram.max()));
    latency.p50 = at(50);
    latency.p75 = at(75);
    latency.p90 = at(90);
    latency.p95 = at(95);
    latency.p99 = at(99);
    latency.p999 = at(99.9);
    latency.within_stddev_pct = histogram.percent_within_stddev();
    summary.thread_requests_per_sec = result.thread_requests_per_sec;
    return summary;
}

std::string source_note(const SummarySource& source) {
    return fmt::format("Imported from {}:{} ({}).", source.file, source.line, source.format);
}

}  // namespace benchctl
