#include "report/model/metric.hpp"

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
