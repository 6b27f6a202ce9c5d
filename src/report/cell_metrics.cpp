#include "report/cell_metrics.hpp"

namespace benchctl {

CellMetrics compute_cell_metrics(const LoadDocument& load,
                                 const std::optional<ResourceUsage>& resources) {
    const LoadResult& result = load.result;
    CellMetrics metrics;
    metrics.duration_sec = result.duration_sec;
    metrics.started = result.requests.started;
    metrics.completed = result.requests.completed;
    metrics.failed = result.requests.failed;
    metrics.in_flight_at_stop = result.requests.in_flight_at_stop;
    metrics.non_2xx_3xx = load.summary.non_2xx_3xx;
    metrics.bytes_read = result.bytes_read;
    metrics.requests_per_sec = load.summary.requests_per_sec;
    metrics.latency = load.summary.latency;
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
