#include "report/cell_metrics.hpp"

#include <iterator>
#include <utility>

namespace benchctl {

namespace {

void add_latency(CellMetrics& metrics, const LatencyHistogram& latency) {
    metrics.latency_count = latency.count();
    if (latency.count() == 0)
        return;
    const auto at = [&](double percentile) {
        return static_cast<double>(latency.value_at_percentile(percentile));
    };
    metrics.latency_min_us = static_cast<double>(latency.min());
    metrics.latency_max_us = static_cast<double>(latency.max());
    metrics.latency_mean_us = latency.mean();
    metrics.latency_stddev_us = latency.stddev();
    metrics.p50_us = at(50);
    metrics.p90_us = at(90);
    metrics.p95_us = at(95);
    metrics.p99_us = at(99);
}

// An imported cell's latency as its source printed it (milliseconds in the document).
void add_recorded_latency(CellMetrics& metrics, const RecordedLatency& latency,
                          std::uint64_t completed) {
    const std::pair<const char*, const std::optional<double>*> figures[] = {
        {"min", &latency.min}, {"mean", &latency.mean}, {"stddev", &latency.stddev},
        {"max", &latency.max}, {"p50", &latency.p50},   {"p90", &latency.p90},
        {"p95", &latency.p95}, {"p99", &latency.p99}};
    double* targets[] = {
        &metrics.latency_min_us, &metrics.latency_mean_us, &metrics.latency_stddev_us,
        &metrics.latency_max_us, &metrics.p50_us,          &metrics.p90_us,
        &metrics.p95_us,         &metrics.p99_us};
    bool any = false;
    for (std::size_t i = 0; i < std::size(figures); ++i) {
        const std::optional<double>& value = *figures[i].second;
        if (value) {
            *targets[i] = *value * 1000.0;
            any = true;
        } else {
            metrics.unknown_latency.emplace_back(figures[i].first);
        }
    }
    metrics.latency_count = any ? completed : 0;
}

}  // namespace

CellMetrics compute_cell_metrics(const LoadDocument& load,
                                 const std::optional<ResourceUsage>& resources) {
    const LoadResult& result = load.result;
    CellMetrics metrics;
    metrics.duration_sec = result.duration_sec;
    metrics.started = result.requests.started;
    metrics.completed = result.requests.completed;
    metrics.failed = result.requests.failed;
    metrics.in_flight_at_stop = result.requests.in_flight_at_stop;
    metrics.non_2xx_3xx = result.non_2xx_3xx();
    metrics.bytes_read = result.bytes_read;
    if (load.imported) {
        metrics.non_2xx_3xx = load.imported->non_2xx_3xx;
        metrics.requests_per_sec = load.imported->requests_per_sec;
        add_recorded_latency(metrics, load.imported->latency_ms, result.requests.completed);
    } else {
        metrics.requests_per_sec = result.requests_per_sec();
        add_latency(metrics, result.latency);
    }
    if (resources) {
        metrics.cpu_seconds = resources->cpu_seconds;
        metrics.peak_rss_bytes = resources->peak_rss_bytes;
        if (result.requests.completed > 0) {
            metrics.cpu_seconds_per_1k =
                resources->cpu_seconds / static_cast<double>(result.requests.completed) * 1000.0;
        }
    }
    return metrics;
}

}  // namespace benchctl
