#include "metrics/metric.hpp"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "util/number_format.hpp"

namespace benchctl {

namespace {

std::string count_text(double value) {
    return format_count(static_cast<std::uint64_t>(value));
}

std::string bytes_text(double value) {
    return format_bytes(static_cast<std::uint64_t>(value));
}

std::string two_decimals(double value) {
    return format_grouped(value, 2);
}

std::string three_decimals(double value) {
    return format_grouped(value, 3);
}

// A fraction as a percentage with two decimals: 0.0123 -> "1.23%".
std::string percent_text(double value) {
    return fmt::format("{:.2f}%", value * 100.0);
}

using M = Metric;
using B = Better;

constexpr std::array<MetricDescriptor, k_metric_count> k_descriptors = {{
    {M::duration_sec, "duration_sec", "duration_sec", "duration", "s", B::neither, two_decimals, 6},
    {M::requests_started, "requests_started", "requests.started", "started", "requests", B::neither,
     count_text, 0},
    {M::requests_completed, "requests_completed", "requests.completed", "completed", "requests",
     B::higher, count_text, 0},
    {M::requests_failed, "requests_failed", "requests.failed", "failures", "requests", B::lower,
     count_text, 0},
    {M::requests_in_flight_at_stop, "requests_in_flight_at_stop", "requests.in_flight_at_stop",
     "in flight at stop", "requests", B::neither, count_text, 0},
    {M::non_2xx_3xx, "non_2xx_3xx", "non_2xx_3xx", "non-2xx/3xx", "responses", B::lower, count_text,
     0},
    {M::non_2xx_ratio, "non_2xx_ratio", "non_2xx_ratio", "non-2xx/3xx ratio", "ratio", B::lower,
     percent_text, 6},
    {M::errors_connect, "errors_connect", "errors.connect", "connect errors", "requests", B::lower,
     count_text, 0},
    {M::errors_read, "errors_read", "errors.read", "read errors", "requests", B::lower, count_text,
     0},
    {M::errors_write, "errors_write", "errors.write", "write errors", "requests", B::lower,
     count_text, 0},
    {M::errors_timeout, "errors_timeout", "errors.timeout", "timeouts", "requests", B::lower,
     count_text, 0},
    {M::errors_parse, "errors_parse", "errors.parse", "parse errors", "requests", B::lower,
     count_text, 0},
    {M::errors_check, "errors_check", "errors.check", "check failures", "requests", B::lower,
     count_text, 0},
    {M::bytes_read, "bytes_read", "bytes_read", "bytes read", "bytes", B::neither, bytes_text, 0},
    {M::requests_per_sec, "requests_per_sec", "requests_per_sec", "requests/sec", "requests/s",
     B::higher, two_decimals, 3},
    {M::latency_min_ms, "latency_min_ms", "latency_ms.min", "min", "ms", B::lower, format_ms, 5},
    {M::latency_mean_ms, "latency_mean_ms", "latency_ms.mean", "mean", "ms", B::lower, format_ms,
     5},
    {M::latency_stddev_ms, "latency_stddev_ms", "latency_ms.stddev", "stddev", "ms", B::lower,
     format_ms, 5},
    {M::latency_p50_ms, "latency_p50_ms", "latency_ms.p50", "p50", "ms", B::lower, format_ms, 5},
    {M::latency_p75_ms, "latency_p75_ms", "latency_ms.p75", "p75", "ms", B::lower, format_ms, 5},
    {M::latency_p90_ms, "latency_p90_ms", "latency_ms.p90", "p90", "ms", B::lower, format_ms, 5},
    {M::latency_p95_ms, "latency_p95_ms", "latency_ms.p95", "p95", "ms", B::lower, format_ms, 5},
    {M::latency_p99_ms, "latency_p99_ms", "latency_ms.p99", "p99", "ms", B::lower, format_ms, 5},
    {M::latency_max_ms, "latency_max_ms", "latency_ms.max", "max", "ms", B::lower, format_ms, 5},
    {M::cpu_seconds, "cpu_seconds", "cpu_seconds", "CPU s", "s", B::lower, three_decimals, 6},
    {M::cpu_seconds_per_1k, "cpu_seconds_per_1k", "cpu_seconds_per_1k", "CPU s / 1k req", "s",
     B::lower, three_decimals, 6},
    {M::peak_rss_bytes, "peak_rss_bytes", "peak_rss_bytes", "peak RSS", "bytes", B::lower,
     bytes_text, 0},
    {M::services_cpu_seconds, "services_cpu_seconds", "services.cpu_seconds", "services CPU s", "s",
     B::lower, three_decimals, 6},
    {M::services_cpu_seconds_per_1k, "services_cpu_seconds_per_1k", "services.cpu_seconds_per_1k",
     "services CPU s / 1k req", "s", B::lower, three_decimals, 6},
    {M::services_peak_rss_bytes, "services_peak_rss_bytes", "services.peak_rss_bytes",
     "services peak RSS", "bytes", B::lower, bytes_text, 0},
    {M::companions_cpu_seconds, "companions_cpu_seconds", "companions.cpu_seconds",
     "companions CPU s", "s", B::lower, three_decimals, 6},
    {M::companions_cpu_seconds_per_1k, "companions_cpu_seconds_per_1k",
     "companions.cpu_seconds_per_1k", "companions CPU s / 1k req", "s", B::lower, three_decimals,
     6},
    {M::companions_peak_rss_bytes, "companions_peak_rss_bytes", "companions.peak_rss_bytes",
     "companions peak RSS", "bytes", B::lower, bytes_text, 0},
    {M::total_cpu_seconds, "total_cpu_seconds", "total.cpu_seconds", "total CPU s", "s", B::lower,
     three_decimals, 6},
    {M::total_cpu_seconds_per_1k, "total_cpu_seconds_per_1k", "total.cpu_seconds_per_1k",
     "total CPU s / 1k req", "s", B::lower, three_decimals, 6},
}};

// The table is indexed by Metric: a descriptor out of place would describe another figure.
constexpr bool in_metric_order() {
    for (std::size_t i = 0; i < k_descriptors.size(); ++i) {
        if (static_cast<std::size_t>(k_descriptors[i].metric) != i)
            return false;
    }
    return true;
}
static_assert(in_metric_order(), "k_descriptors must list every Metric in order");

// Short names for the figures people gate on most, as k6 and wrk users write them.
constexpr std::pair<std::string_view, Metric> k_aliases[] = {
    {"p50", M::latency_p50_ms}, {"p75", M::latency_p75_ms}, {"p90", M::latency_p90_ms},
    {"p95", M::latency_p95_ms}, {"p99", M::latency_p99_ms}, {"failures", M::requests_failed},
};

}  // namespace

double as_double(const MetricValue& value) {
    return std::visit([](auto number) { return static_cast<double>(number); }, value);
}

const std::array<MetricDescriptor, k_metric_count>& metric_descriptors() {
    return k_descriptors;
}

const MetricDescriptor& describe(Metric metric) {
    return k_descriptors[static_cast<std::size_t>(metric)];
}

MetricValue rounded(const MetricDescriptor& descriptor, const MetricValue& value) {
    if (const double* number = std::get_if<double>(&value)) {
        const double scale = std::pow(10.0, descriptor.decimals);
        return std::round(*number * scale) / scale;
    }
    return value;
}

std::string machine_text(const MetricDescriptor& descriptor, const MetricValue& value) {
    if (const std::uint64_t* count = std::get_if<std::uint64_t>(&value))
        return fmt::format("{}", *count);
    std::string text = fmt::format("{:.{}f}", std::get<double>(value), descriptor.decimals);
    if (text.find('.') != std::string::npos) {
        text.erase(text.find_last_not_of('0') + 1);
        if (text.back() == '.')
            text.pop_back();
    }
    return text == "-0" ? "0" : text;
}

std::optional<Metric> find_metric(std::string_view name) {
    for (const MetricDescriptor& descriptor : k_descriptors) {
        if (name == descriptor.name)
            return descriptor.metric;
    }
    for (const auto& [alias, metric] : k_aliases) {
        if (name == alias)
            return metric;
    }
    return std::nullopt;
}

std::vector<std::string> metric_names() {
    std::vector<std::string> names;
    for (const MetricDescriptor& descriptor : k_descriptors)
        names.emplace_back(descriptor.name);
    for (const auto& [alias, metric] : k_aliases)
        names.emplace_back(alias);
    return names;
}

}  // namespace benchctl
