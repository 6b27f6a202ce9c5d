#include "agent/load_merge.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "load/url.hpp"
#include "results/load_document.hpp"
#include "util/json_field.hpp"

using namespace benchctl;

namespace {

// The result as the coordinator gets it: through the agent's benchctl.load/1 document.
LoadResult through_protocol(const LoadSettings& settings, const LoadResult& result) {
    const nlohmann::json document = to_load_document(settings, result);
    return from_load_document(JsonField(document, "test", "")).result;
}

LoadSettings agent_settings(unsigned threads) {
    LoadSettings settings;
    settings.url = parse_url("http://127.0.0.1:8080/", "test");
    settings.threads = threads;
    settings.connections = threads;
    return settings;
}

// The exact percentile of a set of samples: the sample of rank ceil(p/100 * n), the product
// taken as the decimal it stands for (99.9% of 47,000 is rank 46,953, though in binary
// floating point 0.999 * 47000 lands a hair above it).
std::uint64_t exact_percentile(std::vector<std::uint64_t> samples, double percentile) {
    std::sort(samples.begin(), samples.end());
    auto rank = static_cast<std::size_t>(
        std::ceil(percentile / 100.0 * static_cast<double>(samples.size()) - 1e-6));
    return samples[std::max<std::size_t>(rank, 1) - 1];
}

}  // namespace

TEST_CASE("merged percentiles are the percentiles of the union of the agents' samples") {
    std::mt19937_64 random(42);
    std::lognormal_distribution<double> fast(7.5, 0.4);  // ~2 ms
    std::lognormal_distribution<double> slow(9.9, 0.9);  // ~20 ms, a long tail
    const LoadSettings settings = agent_settings(2);
    LoadResult a;
    LoadResult b;
    std::vector<std::uint64_t> union_samples;
    LatencyHistogram union_histogram;
    for (int i = 0; i < 40000; ++i) {
        auto value = static_cast<std::uint64_t>(fast(random)) + 1;
        a.latency.record(value);
        union_samples.push_back(value);
        union_histogram.record(value);
    }
    for (int i = 0; i < 7000; ++i) {
        auto value = static_cast<std::uint64_t>(slow(random)) + 1;
        b.latency.record(value);
        union_samples.push_back(value);
        union_histogram.record(value);
    }
    a.requests.completed = a.requests.started = 40000;
    b.requests.completed = b.requests.started = 7000;
    LoadResult read_a = through_protocol(settings, a);
    LoadResult read_b = through_protocol(settings, b);
    LoadResult merged = merge_load_results({{&settings, &read_a, 0}, {&settings, &read_b, 0}});
    CHECK(merged.latency.count() == union_samples.size());
    CHECK(merged.latency.min() == *std::min_element(union_samples.begin(), union_samples.end()));
    CHECK(merged.latency.max() == *std::max_element(union_samples.begin(), union_samples.end()));
    for (double p : {1.0, 25.0, 50.0, 75.0, 85.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
        INFO("percentile " << p);
        const std::uint64_t exact = exact_percentile(union_samples, p);
        const std::uint64_t got = merged.latency.value_at_percentile(p);
        // Identical to a histogram of the union, and within its resolution (3 digits) of the
        // exact sample; an average of the agents' percentiles would be far off at p90 and up.
        CHECK(got == union_histogram.value_at_percentile(p));
        CHECK(got >= exact);
        CHECK(static_cast<double>(got - exact) <= 0.001 * static_cast<double>(exact) + 1);
    }
    CHECK(merged.latency.mean() == Approx(union_histogram.mean()));
    CHECK(merged.latency.stddev() == Approx(union_histogram.stddev()));
}

TEST_CASE(
    "counts, errors, statuses and bytes are summed; the longest duration and any interrupt kept") {
    const LoadSettings settings = agent_settings(1);
    LoadResult a;
    a.requests = {100, 90, 4, 6};
    a.errors.timeout = 3;
    a.errors.read = 1;
    a.status_codes = {{200, 80}, {503, 10}};
    a.bytes_read = 1000;
    a.bytes_written = 500;
    a.duration_sec = 2.0;
    a.started_at = "2026-01-01T10:00:00.200Z";
    a.warmup_requests = 5;
    LoadResult b;
    b.requests = {50, 49, 1, 0};
    b.errors.connect = 1;
    b.status_codes = {{200, 49}};
    b.bytes_read = 400;
    b.duration_sec = 2.1;
    b.started_at = "2026-01-01T10:00:00.150Z";
    b.interrupted = true;
    LoadResult merged = merge_load_results({{&settings, &a, 0}, {&settings, &b, 0}});
    CHECK(merged.requests.started == 150);
    CHECK(merged.requests.completed == 139);
    CHECK(merged.requests.failed == 5);
    CHECK(merged.requests.in_flight_at_stop == 6);
    CHECK(merged.errors.total() == 5);
    CHECK(merged.status_codes == std::map<int, std::uint64_t>{{200, 129}, {503, 10}});
    CHECK(merged.bytes_read == 1400);
    CHECK(merged.bytes_written == 500);
    CHECK(merged.warmup_requests == 5);
    CHECK(merged.duration_sec == 2.1);
    CHECK(merged.started_at == "2026-01-01T10:00:00.150Z");
    CHECK(merged.interrupted);
}

TEST_CASE("timelines are aligned by each agent's measurement start") {
    const LoadSettings settings = agent_settings(1);
    LoadResult a;
    a.timeline = {{10, 0, 100, 1000, 2000, {}}, {20, 1, 200, 1100, 2100, {}}};
    LoadResult b;  // began measuring 1.02 s after a (a longer warm-up)
    b.timeline = {{5, 0, 50, 3000, 9000, {}}, {7, 0, 70, 500, 800, {}}};
    LoadResult merged =
        merge_load_results({{&settings, &a, 5'000'000'000}, {&settings, &b, 6'020'000'000}});
    REQUIRE(merged.timeline.size() == 3);
    CHECK(merged.timeline[0].completed == 10);
    CHECK(merged.timeline[1].completed == 25);
    CHECK(merged.timeline[1].bytes_read == 250);
    CHECK(merged.timeline[1].failed == 1);
    CHECK(merged.timeline[2].completed == 7);
    // Per second, the highest of the agents' percentiles: a bound of the union's.
    CHECK(merged.timeline[1].p99_us == 9000);
    CHECK(merged.timeline[1].p50_us == 3000);
}

TEST_CASE("per-thread rates are pooled as one population of samples") {
    // a's threads sampled 10 and 30 (mean 20, stddev 10), b's 50 and 70 (mean 60, stddev 10),
    // with as many samples each (same threads x duration): the union is {10, 30, 50, 70}.
    LoadSettings settings = agent_settings(1);
    LoadResult a;
    a.duration_sec = 1;
    a.thread_requests_per_sec = {20, 10, 30, 50};
    LoadResult b;
    b.duration_sec = 1;
    b.thread_requests_per_sec = {60, 10, 70, 50};
    LoadResult merged = merge_load_results({{&settings, &a, 0}, {&settings, &b, 0}});
    CHECK(merged.thread_requests_per_sec.mean == Approx(40));
    CHECK(merged.thread_requests_per_sec.stddev == Approx(std::sqrt(500.0)));
    CHECK(merged.thread_requests_per_sec.max == 70);
}

TEST_CASE("open-model loads merge their schedules and service times") {
    const LoadSettings settings = agent_settings(1);
    LoadResult a;
    a.rate = RateAccounting{1000, 2000, 3};
    a.service_time.emplace();
    a.service_time->record(100);
    LoadResult b;
    b.rate = RateAccounting{500, 1000, 0};
    b.service_time.emplace();
    b.service_time->record(300);
    LoadResult merged = merge_load_results({{&settings, &a, 0}, {&settings, &b, 0}});
    REQUIRE(merged.rate.has_value());
    CHECK(merged.rate->target_per_sec == 1500);
    CHECK(merged.rate->scheduled == 3000);
    CHECK(merged.rate->unsent_at_stop == 3);
    REQUIRE(merged.service_time.has_value());
    CHECK(merged.service_time->count() == 2);
    CHECK(merged.service_time->max() == 300);
}

TEST_CASE("with the agents' per-second histograms, each merged second's percentiles are exact") {
    // Agent a: 90 fast requests in its second 0; agent b: 10 slow ones in the same second.
    LoadResult a;
    LoadResult b;
    LatencyHistogram union_second(LatencyHistogram::k_default_highest_us, 2);
    a.timeline.resize(1);
    b.timeline.resize(1);
    a.timeline[0] = {90, 0, 900, 1000, 1000, {{1000, 90}}};
    b.timeline[0] = {10, 0, 100, 50000, 50000, {{50000, 10}}};
    union_second.record(1000, 90);
    union_second.record(50000, 10);
    const LoadSettings settings = agent_settings(1);
    LoadResult merged = merge_load_results({{&settings, &a, 0}, {&settings, &b, 0}});
    REQUIRE(merged.timeline.size() == 1);
    // The union's p50 is a fast request, though the highest agent p50 is 50 ms.
    CHECK(merged.timeline[0].p50_us == union_second.value_at_percentile(50));
    CHECK(merged.timeline[0].p50_us < 1100);
    CHECK(merged.timeline[0].p99_us == union_second.value_at_percentile(99));
    CHECK(merged.timeline[0].latency_buckets.size() == 2);

    // Without b's histogram that second keeps the upper bound.
    b.timeline[0].latency_buckets.clear();
    merged = merge_load_results({{&settings, &a, 0}, {&settings, &b, 0}});
    CHECK(merged.timeline[0].p50_us == 50000);
}
