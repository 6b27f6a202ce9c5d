#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace benchctl {

// Every figure a report shows of one cell. The order is the CSV's column order.
enum class Metric {
    duration_sec,
    requests_started,
    requests_completed,
    requests_failed,
    requests_in_flight_at_stop,
    non_2xx_3xx,
    non_2xx_ratio,
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
    // The run's services (databases, caches, proxies) over the same load, summed over services.
    services_cpu_seconds,
    services_cpu_seconds_per_1k,
    services_peak_rss_bytes,  // the sum of each service's own peak
    // The target's companions (a proxy in front of it), apart from it, summed over companions.
    companions_cpu_seconds,
    companions_cpu_seconds_per_1k,
    companions_peak_rss_bytes,  // the sum of each companion's own peak
    // The cell's own processes together, the target and its companions (services apart): what
    // one configuration costs, a proxy in front included. Only for a cell with companions.
    total_cpu_seconds,
    total_cpu_seconds_per_1k,
};

inline constexpr std::size_t k_metric_count = 35;

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
    // "s", "requests", "responses", "bytes", "requests/s", "ms", "ratio" (a fraction: 0.01 = 1 %)
    const char* unit;
    Better better;
    std::string (*format)(double value);  // for people, unit included where it helps
    // Decimals worth keeping in machine formats (CSV, JSON): what the figure's measurement
    // resolves (1 us latency is 3 decimals of ms; a mean keeps two more), so that a value
    // prints as 0.31566 and not as the binary noise 0.31566000000000005.
    int decimals;
};

// The descriptors of every Metric, in Metric order.
const std::array<MetricDescriptor, k_metric_count>& metric_descriptors();

// The descriptor of `metric`.
const MetricDescriptor& describe(Metric metric);

// `value` rounded to its descriptor's decimals (a count unchanged), for machine formats.
MetricValue rounded(const MetricDescriptor& descriptor, const MetricValue& value);

// `value` as a machine format writes it: a count as an integer, a real number with at most the
// descriptor's decimals and no trailing zeros ("0.31566", "1.5", "2").
std::string machine_text(const MetricDescriptor& descriptor, const MetricValue& value);

// The metric `name` stands for: a descriptor's name ("latency_p99_ms", "requests_failed") or one
// of the short names people type ("p50", "p90", "p95", "p99", "failures"); nullopt for any other.
// Thresholds, `compare --metric` and `history --metric` take either.
std::optional<Metric> find_metric(std::string_view name);

// Every name find_metric accepts, descriptors' names first, for "did you mean" hints.
std::vector<std::string> metric_names();

}  // namespace benchctl
