#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

namespace benchctl {

// Every figure a report shows of one cell. The order is the CSV's column order.
enum class Metric {
    duration_sec,
    requests_started,
    requests_completed,
    requests_failed,
    requests_in_flight_at_stop,
    non_2xx_3xx,
    errors_connect,
    errors_read,
    errors_write,
    errors_timeout,
    errors_parse,
    errors_check,
    bytes_read,
    requests_per_sec,
    latency_min_ms,
    latency_mean_ms,
    latency_stddev_ms,
    latency_p50_ms,
    latency_p75_ms,
    latency_p90_ms,
    latency_p95_ms,
    latency_p99_ms,
    latency_max_ms,
    cpu_seconds,
    cpu_seconds_per_1k,
    peak_rss_bytes,
};

inline constexpr std::size_t k_metric_count = 26;

// Which way a change of the figure is an improvement (for `compare` and rankings).
enum class Better { higher, lower, neither };

// A figure's value: a count, kept exact, or a real number. Machine formats write the one they
// hold (1234, 1234.5); people see it through the descriptor's format.
using MetricValue = std::variant<std::uint64_t, double>;

double as_double(const MetricValue& value);

// What every report needs to know of a figure.
struct MetricDescriptor {
    Metric metric;
    const char* name;       // machine name: the CSV column, `compare`'s name for it
    const char* json_path;  // under a JSON report row's "figures": "requests.started"
    const char* label;      // for people: the summary table's header
    const char* unit;       // "s", "requests", "responses", "bytes", "requests/s", "ms"
    Better better;
    std::string (*format)(double value);  // for people, unit included where it helps
};

// The descriptors of every Metric, in Metric order.
const std::array<MetricDescriptor, k_metric_count>& metric_descriptors();

// The descriptor of `metric`.
const MetricDescriptor& describe(Metric metric);

}  // namespace benchctl
