#include "results/cell_metrics.hpp"

#include <utility>

namespace benchctl {

namespace {

using Figure = std::optional<LatencyFigure> LatencySummary::*;

constexpr std::pair<Metric, Figure> k_latency_metrics[] = {
    {Metric::latency_min_ms, &LatencySummary::min},
    {Metric::latency_mean_ms, &LatencySummary::mean},
    {Metric::latency_stddev_ms, &LatencySummary::stddev},
    {Metric::latency_p50_ms, &LatencySummary::p50},
    {Metric::latency_p75_ms, &LatencySummary::p75},
    {Metric::latency_p90_ms, &LatencySummary::p90},
    {Metric::latency_p95_ms, &LatencySummary::p95},
    {Metric::latency_p99_ms, &LatencySummary::p99},
    {Metric::latency_max_ms, &LatencySummary::max},
};

void set_request_counts(const RequestCounts& requests, const ErrorCounts& errors,
                        CellMetrics& metrics) {
    metrics.set(Metric::requests_started, requests.started);
    metrics.set(Metric::requests_completed, requests.completed);
    metrics.set(Metric::requests_failed, requests.failed);
    metrics.set(Metric::requests_in_flight_at_stop, requests.in_flight_at_stop);
    metrics.set(Metric::errors_connect, errors.connect);
    metrics.set(Metric::errors_read, errors.read);
    metrics.set(Metric::errors_write, errors.write);
    metrics.set(Metric::errors_timeout, errors.timeout);
    metrics.set(Metric::errors_parse, errors.parse);
    metrics.set(Metric::errors_check, errors.check);
}

void set_counts(const LoadResult& result, CellMetrics& metrics) {
    metrics.set(Metric::duration_sec, result.duration_sec);
    set_request_counts(result.requests, result.errors, metrics);
    metrics.set(Metric::bytes_read, result.bytes_read);
}

void set_summary(const LoadSummary& summary, std::uint64_t completed, CellMetrics& metrics) {
    metrics.set(Metric::non_2xx_3xx, summary.non_2xx_3xx);
    if (completed > 0) {
        metrics.set(Metric::non_2xx_ratio,
                    static_cast<double>(summary.non_2xx_3xx) / static_cast<double>(completed));
    }
    metrics.set(Metric::requests_per_sec, summary.requests_per_sec);
    if (summary.latency.count == 0)
        return;
    for (const auto& [metric, figure] : k_latency_metrics) {
        if (const std::optional<LatencyFigure>& value = summary.latency.*figure)
            metrics.set(metric, value->ms());
    }
}

// CPU seconds and their share per 1,000 completed requests (none when nothing completed).
void set_cpu(Metric seconds, Metric per_1k, double cpu_seconds, std::uint64_t completed,
             CellMetrics& metrics) {
    metrics.set(seconds, cpu_seconds);
    if (completed > 0)
        metrics.set(per_1k, cpu_seconds / static_cast<double>(completed) * 1000.0);
}

void set_resources(const ResourceUsage& resources, std::uint64_t completed, CellMetrics& metrics) {
    set_cpu(Metric::cpu_seconds, Metric::cpu_seconds_per_1k, resources.cpu_seconds, completed,
            metrics);
    metrics.set(Metric::peak_rss_bytes, resources.peak_rss_bytes);
}

// Where a set of processes' summed usage goes: the services' or the companions' metrics.
struct UsageMetrics {
    Metric cpu_seconds;
    Metric cpu_seconds_per_1k;
    Metric peak_rss_bytes;
};

constexpr UsageMetrics k_service_metrics{Metric::services_cpu_seconds,
                                         Metric::services_cpu_seconds_per_1k,
                                         Metric::services_peak_rss_bytes};
constexpr UsageMetrics k_companion_metrics{Metric::companions_cpu_seconds,
                                           Metric::companions_cpu_seconds_per_1k,
                                           Metric::companions_peak_rss_bytes};

// Sets the processes' summed usage into `into`; returns their CPU seconds.
double set_usage(const std::vector<ServiceUsage>& processes, std::uint64_t completed,
                 const UsageMetrics& into, CellMetrics& metrics) {
    double cpu_seconds = 0;
    std::uint64_t peak_rss_bytes = 0;
    for (const ServiceUsage& process : processes) {
        cpu_seconds += process.resources.cpu_seconds;
        peak_rss_bytes += process.resources.peak_rss_bytes;
    }
    set_cpu(into.cpu_seconds, into.cpu_seconds_per_1k, cpu_seconds, completed, metrics);
    metrics.set(into.peak_rss_bytes, peak_rss_bytes);
    return cpu_seconds;
}

}  // namespace

std::optional<double> CellMetrics::number(Metric metric) const {
    const std::optional<MetricValue>& value = (*this)[metric];
    return value ? std::optional<double>(as_double(*value)) : std::nullopt;
}

std::uint64_t CellMetrics::count(Metric metric) const {
    const std::optional<MetricValue>& value = (*this)[metric];
    if (!value)
        return 0;
    const std::uint64_t* count = std::get_if<std::uint64_t>(&*value);
    return count != nullptr ? *count : static_cast<std::uint64_t>(as_double(*value));
}

std::vector<RequestMetrics> compute_request_metrics(const LoadDocument& load) {
    std::vector<RequestMetrics> requests;
    for (const NamedRequestResult& named : load.result.by_name) {
        LoadResult result;
        result.duration_sec = load.result.duration_sec;
        result.requests = named.requests;
        result.errors = named.errors;
        result.status_codes = named.status_codes;
        result.latency = named.latency;
        CellMetrics metrics;
        metrics.set(Metric::duration_sec, result.duration_sec);
        set_request_counts(result.requests, result.errors, metrics);
        set_summary(summarize(result), result.requests.completed, metrics);
        requests.push_back({named.name, std::move(metrics), named.status_codes});
    }
    return requests;
}

CellMetrics compute_cell_metrics(const LoadDocument& load,
                                 const std::optional<ResourceUsage>& resources,
                                 const std::vector<ServiceUsage>& services,
                                 const std::vector<ServiceUsage>& companions) {
    CellMetrics metrics;
    set_counts(load.result, metrics);
    set_summary(load.summary, load.result.requests.completed, metrics);
    if (resources)
        set_resources(*resources, load.result.requests.completed, metrics);
    if (!services.empty())
        set_usage(services, load.result.requests.completed, k_service_metrics, metrics);
    if (!companions.empty()) {
        const std::uint64_t completed = load.result.requests.completed;
        const double companions_cpu =
            set_usage(companions, completed, k_companion_metrics, metrics);
        // The target and its companions together (none when the target was not sampled).
        if (resources) {
            set_cpu(Metric::total_cpu_seconds, Metric::total_cpu_seconds_per_1k,
                    resources->cpu_seconds + companions_cpu, completed, metrics);
        }
    }
    return metrics;
}

}  // namespace benchctl
