#include "stats/latency_histogram.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "util/error.hpp"
#include "util/json_field.hpp"

using benchctl::JsonField;
using benchctl::LatencyHistogram;
using benchctl::UserError;
using Values = std::vector<std::uint64_t>;

namespace {

constexpr std::size_t k_sample_size = 200'000;

Values draw(const std::function<double(std::mt19937_64&)>& distribution) {
    std::mt19937_64 random(20261123);
    Values values(k_sample_size);
    for (auto& value : values)
        value = static_cast<std::uint64_t>(std::max(0.0, distribution(random)));
    return values;
}

// Samples of latencies in microseconds with different shapes: flat, exponential, long-tailed
// and bimodal (a fast path plus a slow one, the shape of a cache hit/miss mix).
std::vector<std::pair<std::string, Values>> distributions() {
    return {
        {"uniform", draw([](auto& r) { return std::uniform_real_distribution<>(0, 5e6)(r); })},
        {"exponential", draw([](auto& r) { return std::exponential_distribution<>(1 / 2e4)(r); })},
        {"lognormal", draw([](auto& r) { return std::lognormal_distribution<>(9, 1.2)(r); })},
        {"bimodal", draw([](auto& r) {
             const bool slow = std::bernoulli_distribution(0.1)(r);
             return slow ? std::normal_distribution<>(5e5, 5e4)(r)
                         : std::normal_distribution<>(2e3, 2e2)(r);
         })},
    };
}

LatencyHistogram histogram_of(const Values& values) {
    LatencyHistogram histogram;
    for (const auto value : values)
        histogram.record(value);
    return histogram;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> buckets_of(const LatencyHistogram& histogram) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> buckets;
    histogram.for_each_bucket(
        [&](std::uint64_t value, std::uint64_t count) { buckets.emplace_back(value, count); });
    return buckets;
}

void check_same(const LatencyHistogram& a, const LatencyHistogram& b) {
    CHECK(buckets_of(a) == buckets_of(b));
    CHECK(a.count() == b.count());
    CHECK(a.clamped() == b.clamped());
    CHECK(a.min() == b.min());
    CHECK(a.max() == b.max());
    CHECK(a.mean() == b.mean());
    CHECK(a.stddev() == b.stddev());
    CHECK(a.percent_within_stddev() == b.percent_within_stddev());
    CHECK(a.highest_trackable() == b.highest_trackable());
    CHECK(a.significant_digits() == b.significant_digits());
    for (const double percentile : {1.0, 50.0, 99.0, 99.99, 100.0}) {
        CHECK(a.value_at_percentile(percentile) == b.value_at_percentile(percentile));
    }
    CHECK(a.to_json() == b.to_json());
}

nlohmann::json valid_document() {
    LatencyHistogram histogram;
    for (const std::uint64_t value : {5, 700, 12'000, 12'001, 250'000})
        histogram.record(value);
    return histogram.to_json();
}

LatencyHistogram read_histogram(const nlohmann::json& doc) {
    return LatencyHistogram::from_json(JsonField(doc, "histogram.json", ""));
}

}  // namespace

TEST_CASE("percentiles match exact percentiles of random data within the precision") {
    // Percentiles in parts per million, so the exact rank ceil(p * n) is integer arithmetic.
    const std::uint64_t per_million[] = {1,       10'000,  250'000, 500'000, 750'000,  900'000,
                                         990'000, 999'000, 999'900, 999'990, 1'000'000};
    for (auto [name, values] : distributions()) {
        const LatencyHistogram histogram = histogram_of(values);
        std::sort(values.begin(), values.end());
        for (const std::uint64_t ppm : per_million) {
            const std::uint64_t rank =
                std::max<std::uint64_t>(1, (ppm * values.size() + 999'999) / 1'000'000);
            const std::uint64_t exact = values[rank - 1];
            const std::uint64_t reported =
                histogram.value_at_percentile(static_cast<double>(ppm) / 1e4);
            INFO(name << " p" << static_cast<double>(ppm) / 1e4 << ": exact " << exact
                      << ", reported " << reported);
            CHECK(reported >= exact);
            CHECK(static_cast<double>(reported - exact) <= static_cast<double>(exact) * 0.001);
        }
    }
}

TEST_CASE("mean, standard deviation, min and max are exact, not bucketed") {
    for (const auto& [name, values] : distributions()) {
        INFO(name);
        const LatencyHistogram histogram = histogram_of(values);
        long double sum = 0;
        for (const auto value : values)
            sum += value;
        const long double mean = sum / values.size();
        long double squares = 0;
        for (const auto value : values)
            squares += (value - mean) * (value - mean);
        CHECK(histogram.mean() == Approx(static_cast<double>(mean)).epsilon(1e-12));
        CHECK(histogram.stddev() ==
              Approx(static_cast<double>(std::sqrt(squares / values.size()))).epsilon(1e-9));
        CHECK(histogram.min() == *std::min_element(values.begin(), values.end()));
        CHECK(histogram.max() == *std::max_element(values.begin(), values.end()));
        CHECK(histogram.count() == values.size());
    }
}

TEST_CASE("values below the sub-bucket count are kept at unit resolution") {
    LatencyHistogram histogram;
    for (std::uint64_t value = 0; value < 2048; ++value)
        histogram.record(value);
    const auto buckets = buckets_of(histogram);
    REQUIRE(buckets.size() == 2048);
    for (std::uint64_t value = 0; value < 2048; ++value) {
        CHECK(buckets[value] == std::make_pair(value, std::uint64_t{1}));
    }
}

TEST_CASE("buckets above the first double in width every power of two") {
    LatencyHistogram histogram;
    histogram.record(2048);
    histogram.record(4097);
    histogram.record(100'000);
    CHECK(buckets_of(histogram) ==
          std::vector<std::pair<std::uint64_t, std::uint64_t>>{{2049, 1}, {4099, 1}, {100'031, 1}});
}

TEST_CASE("a percentile reports the highest equivalent value, clamped to the exact max") {
    LatencyHistogram histogram;
    histogram.record(100'000);
    CHECK(histogram.value_at_percentile(50) == 100'000);
    histogram.record(200'000);
    CHECK(histogram.value_at_percentile(50) == 100'031);
    CHECK(histogram.value_at_percentile(100) == 200'000);
    CHECK(histogram.value_at_percentile(0) == 100'000);
}

TEST_CASE("percent within one standard deviation follows wrk's definition") {
    LatencyHistogram histogram;
    // Mean 5.5, population stddev 2.87: 3..8 lie within, 6 of 10.
    for (std::uint64_t value = 1; value <= 10; ++value)
        histogram.record(value);
    CHECK(histogram.percent_within_stddev() == Approx(60.0));
    LatencyHistogram constant;
    constant.record(42, 7);
    CHECK(constant.percent_within_stddev() == Approx(100.0));
    CHECK(constant.stddev() == 0.0);
}

TEST_CASE("a bucket across the edge of the band counts by its median equivalent value") {
    // Mean 2583.44, stddev 4750.10: the band ends at 7333.54, inside the bucket 7332..7335 that
    // holds 7335. Its median, 7334, is outside, as 7335 itself is; its lowest value is not.
    LatencyHistogram histogram;
    histogram.record(1000, 14);
    histogram.record(20'000);
    histogram.record(7335);
    CHECK(histogram.percent_within_stddev() == Approx(87.5));
}

TEST_CASE("merging equals recording everything in one histogram") {
    for (const auto& [name, values] : distributions()) {
        INFO(name);
        LatencyHistogram parts[3];
        for (std::size_t i = 0; i < values.size(); ++i)
            parts[i % 3].record(values[i]);
        LatencyHistogram merged;
        for (const auto& part : parts)
            merged.merge(part);
        check_same(merged, histogram_of(values));
    }
}

TEST_CASE("merging an empty histogram changes nothing") {
    LatencyHistogram histogram;
    histogram.record(1234);
    histogram.merge(LatencyHistogram());
    CHECK(histogram.min() == 1234);
    CHECK(histogram.count() == 1);
}

TEST_CASE("merge rejects histograms of another range or precision") {
    LatencyHistogram histogram;
    CHECK_THROWS_AS(histogram.merge(LatencyHistogram(1'000'000)), std::invalid_argument);
    CHECK_THROWS_AS(histogram.merge(LatencyHistogram(LatencyHistogram::k_default_highest_us, 2)),
                    std::invalid_argument);
}

TEST_CASE("serialisation round trip is equal in every bucket and summary") {
    for (const auto& [name, values] : distributions()) {
        INFO(name);
        LatencyHistogram histogram = histogram_of(values);
        histogram.record(LatencyHistogram::k_default_highest_us + 1, 3);
        const auto text = histogram.to_json().dump();
        check_same(read_histogram(nlohmann::json::parse(text)), histogram);
    }
}

TEST_CASE("serialisation lists non-empty buckets as index deltas and counts") {
    LatencyHistogram histogram;
    histogram.record(3, 2);
    histogram.record(10);
    const nlohmann::json doc = histogram.to_json();
    CHECK(doc["counts"] == nlohmann::json::array({3, 2, 7, 1}));
    CHECK(doc["total"] == 3);
    CHECK(doc["sum"] == "16");
    CHECK(doc["sum_of_squares"] == "118");
    CHECK(doc["min"] == 3);
    CHECK(doc["max"] == 10);
}

TEST_CASE("sums beyond 64 bits survive the round trip exactly") {
    LatencyHistogram histogram;
    histogram.record(3'000'000'000, 1'000'000'000);
    const LatencyHistogram copy = read_histogram(histogram.to_json());
    CHECK(histogram.to_json()["sum_of_squares"] == "9000000000000000000000000000");
    CHECK(copy.mean() == 3e9);
    CHECK(copy.stddev() == 0.0);
}

TEST_CASE("values above the range are clamped to the highest trackable value and counted") {
    LatencyHistogram histogram(1'000'000);
    histogram.record(5'000'000, 2);
    histogram.record(10);
    CHECK(histogram.count() == 3);
    CHECK(histogram.clamped() == 2);
    CHECK(histogram.max() == 1'000'000);
    CHECK(histogram.value_at_percentile(100) == 1'000'000);
    CHECK(histogram.mean() == Approx(2'000'010.0 / 3));
}

TEST_CASE("an empty histogram reports zero for everything") {
    LatencyHistogram histogram;
    CHECK(histogram.count() == 0);
    CHECK(histogram.min() == 0);
    CHECK(histogram.max() == 0);
    CHECK(histogram.mean() == 0);
    CHECK(histogram.stddev() == 0);
    CHECK(histogram.percent_within_stddev() == 0);
    CHECK(histogram.value_at_percentile(50) == 0);
    CHECK(buckets_of(histogram).empty());
    check_same(read_histogram(histogram.to_json()), histogram);
}

TEST_CASE("recording a zero count changes nothing") {
    LatencyHistogram histogram;
    histogram.record(99, 0);
    CHECK(histogram.count() == 0);
    CHECK(histogram.min() == 0);
}

TEST_CASE("reset forgets every observation but keeps range and precision") {
    LatencyHistogram histogram(1'000'000, 2);
    histogram.record(5'000'000);
    histogram.reset();
    check_same(histogram, LatencyHistogram(1'000'000, 2));
}

TEST_CASE("the constructor rejects an impossible range or precision") {
    CHECK_THROWS_AS(LatencyHistogram(1), std::invalid_argument);
    CHECK_THROWS_AS(LatencyHistogram(1'000, 0), std::invalid_argument);
    CHECK_THROWS_AS(LatencyHistogram(1'000, 6), std::invalid_argument);
    CHECK_NOTHROW(LatencyHistogram(1'000, 5));
}

TEST_CASE("from_json rejects malformed or inconsistent documents") {
    REQUIRE_NOTHROW(read_histogram(valid_document()));
    const std::vector<std::pair<std::string, std::function<void(nlohmann::json&)>>> breakages = {
        {"not an object", [](auto& doc) { doc = nlohmann::json::array(); }},
        {"missing counts", [](auto& doc) { doc.erase("counts"); }},
        {"missing sum", [](auto& doc) { doc.erase("sum"); }},
        {"odd counts", [](auto& doc) { doc["counts"].push_back(1); }},
        {"counts not an array", [](auto& doc) { doc["counts"] = 5; }},
        {"negative delta", [](auto& doc) { doc["counts"][2] = -1; }},
        {"repeated index", [](auto& doc) { doc["counts"][2] = 0; }},
        {"empty bucket", [](auto& doc) { doc["counts"][1] = 0; }},
        {"index out of range", [](auto& doc) { doc["counts"][0] = 1'000'000; }},
        {"total differs", [](auto& doc) { doc["total"] = 6; }},
        {"min outside buckets", [](auto& doc) { doc["min"] = 4; }},
        {"max outside buckets", [](auto& doc) { doc["max"] = 300'000; }},
        {"min above max", [](auto& doc) { doc["min"] = 250'001; }},
        {"clamped exceeds total", [](auto& doc) { doc["clamped"] = 6; }},
        {"clamped below the range", [](auto& doc) { doc["clamped"] = 1; }},
        {"sum not a string", [](auto& doc) { doc["sum"] = 274'706; }},
        {"sum not decimal", [](auto& doc) { doc["sum"] = "27e4"; }},
        {"sum impossible", [](auto& doc) { doc["sum"] = "1"; }},
        {"sum overflows", [](auto& doc) { doc["sum_of_squares"] = std::string(40, '9'); }},
        {"digits out of range", [](auto& doc) { doc["significant_digits"] = 6; }},
        {"range too small", [](auto& doc) { doc["highest_trackable_us"] = 1; }},
        {"range a float", [](auto& doc) { doc["highest_trackable_us"] = 3.6e9; }},
        {"bucket above range", [](auto& doc) { doc["highest_trackable_us"] = 100'000; }},
    };
    for (const auto& [name, breakage] : breakages) {
        INFO(name);
        nlohmann::json doc = valid_document();
        breakage(doc);
        CHECK_THROWS_AS(read_histogram(doc), UserError);
    }
}

TEST_CASE("from_json rejects an empty histogram with non-zero summary") {
    nlohmann::json doc = LatencyHistogram().to_json();
    REQUIRE_NOTHROW(read_histogram(doc));
    doc["max"] = 5;
    CHECK_THROWS_AS(read_histogram(doc), UserError);
}

TEST_CASE("from_json names the file and the path of the field it rejects") {
    nlohmann::json doc = valid_document();
    doc["counts"][2] = -1;
    try {
        LatencyHistogram::from_json(
            JsonField(doc, "cells/a.json", "restore it", "histograms.latency"));
        FAIL("a negative bucket delta was accepted");
    } catch (const UserError& error) {
        CHECK(std::string(error.what()) ==
              "field histograms.latency.counts[2] must be a non-negative integer");
        CHECK(error.where() == "cells/a.json");
        CHECK(error.hint() == "restore it");
    }
    doc = valid_document();
    doc["total"] = 6;
    try {
        LatencyHistogram::from_json(JsonField(doc, "", "", "latency"));
        FAIL("an inconsistent total was accepted");
    } catch (const UserError& error) {
        CHECK(std::string(error.what()) ==
              "field latency is not a valid histogram: 'total' differs from the bucket counts");
    }
}
