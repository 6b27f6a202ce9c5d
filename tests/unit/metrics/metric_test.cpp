#include "metrics/metric.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace benchctl;

TEST_CASE("every metric has one descriptor with a unique name, JSON path and a formatter") {
    std::set<std::string> names;
    std::set<std::string> paths;
    for (const MetricDescriptor& descriptor : metric_descriptors()) {
        CHECK(&describe(descriptor.metric) == &descriptor);
        CHECK(names.insert(descriptor.name).second);
        CHECK(paths.insert(descriptor.json_path).second);
        CHECK(descriptor.format != nullptr);
        CHECK_FALSE(std::string(descriptor.label).empty());
    }
    CHECK(names.size() == k_metric_count);
}

TEST_CASE("a metric says which way is better and formats for people") {
    CHECK(describe(Metric::requests_per_sec).better == Better::higher);
    CHECK(describe(Metric::latency_p99_ms).better == Better::lower);
    CHECK(describe(Metric::latency_p99_ms).format(1204.224) == "1,204.22 ms");
    CHECK(describe(Metric::peak_rss_bytes).format(130023424) == "124.0 MiB");
    CHECK(describe(Metric::requests_failed).format(1234567) == "1,234,567");
}

TEST_CASE("a metric value keeps counts exact and reads as a number") {
    const MetricValue count = std::uint64_t{12};
    const MetricValue real = 2.5;
    CHECK(std::holds_alternative<std::uint64_t>(count));
    CHECK(as_double(count) == 12.0);
    CHECK(as_double(real) == 2.5);
}

TEST_CASE("a metric is found by its name or by the short name people type") {
    CHECK(find_metric("requests_per_sec") == Metric::requests_per_sec);
    CHECK(find_metric("latency_p99_ms") == Metric::latency_p99_ms);
    CHECK(find_metric("p99") == Metric::latency_p99_ms);
    CHECK(find_metric("p50") == Metric::latency_p50_ms);
    CHECK(find_metric("failures") == Metric::requests_failed);
    CHECK(find_metric("non_2xx_ratio") == Metric::non_2xx_ratio);
    CHECK_FALSE(find_metric("p98").has_value());
    CHECK_FALSE(find_metric("").has_value());
    const std::vector<std::string> names = metric_names();
    CHECK(names.size() == k_metric_count + 6);
    CHECK(names.front() == "duration_sec");
    CHECK(names.back() == "failures");
}

TEST_CASE("the share of non-2xx/3xx responses reads as a percentage") {
    CHECK(describe(Metric::non_2xx_ratio).format(0.0123) == "1.23%");
    CHECK(describe(Metric::non_2xx_ratio).better == Better::lower);
}
