#include "metrics/threshold.hpp"

#include <catch2/catch.hpp>

#include "util/error.hpp"

using namespace benchctl;

namespace {

Threshold parsed(const char* key, const char* text) {
    return parse_threshold(key, *find_metric(key), text);
}

std::string error_of(const char* key, const char* text) {
    try {
        parsed(key, text);
    } catch (const UserError& error) {
        return error.message();
    }
    return "";
}

}  // namespace

TEST_CASE("a threshold reads k6's operators and converts its unit into the metric's") {
    const Threshold p99 = parsed("p99", "< 250ms");
    CHECK(p99.metric == Metric::latency_p99_ms);
    CHECK(p99.op == ThresholdOperator::less);
    CHECK(p99.bound == 250);
    CHECK(p99.key == "p99");
    CHECK(p99.expression == "< 250ms");
    CHECK(parsed("p99", "<=0.5s").bound == 500);
    CHECK(parsed("p99", "< 800us").bound == Approx(0.8));
    CHECK(parsed("p99", "< 12").bound == 12);
    CHECK(parsed("requests_per_sec", ">= 1000").op == ThresholdOperator::greater_equal);
    CHECK(parsed("requests_per_sec", ">= 2.5k").bound == 2500);
    CHECK(parsed("failures", "== 0").op == ThresholdOperator::equal);
    CHECK(parsed("failures", "!= 3").op == ThresholdOperator::not_equal);
    CHECK(parsed("non_2xx_ratio", "< 0.01").bound == 0.01);
    CHECK(parsed("non_2xx_ratio", "< 1%").bound == Approx(0.01));
    CHECK(parsed("peak_rss_bytes", "< 512MiB").bound == 512.0 * 1024 * 1024);
    CHECK(parsed("peak_rss_bytes", "< 2GB").bound == 2e9);
    CHECK(parsed("duration_sec", "> 1m").bound == 60);
}

TEST_CASE("a threshold holds exactly when its comparison does") {
    CHECK(threshold_holds(parsed("p99", "< 250ms"), 249.9));
    CHECK_FALSE(threshold_holds(parsed("p99", "< 250ms"), 250));
    CHECK(threshold_holds(parsed("p99", "<= 250ms"), 250));
    CHECK(threshold_holds(parsed("requests_per_sec", "> 10"), 11));
    CHECK_FALSE(threshold_holds(parsed("requests_per_sec", ">= 10"), 9.99));
    CHECK(threshold_holds(parsed("failures", "== 0"), 0));
    CHECK_FALSE(threshold_holds(parsed("failures", "== 0"), 1));
    CHECK(threshold_holds(parsed("failures", "!= 0"), 1));
}

TEST_CASE("a malformed threshold says what is wrong and what to write") {
    CHECK(error_of("p99", "250ms") ==
          "threshold '250ms' has no comparison; write an operator (<, <=, >, >=, ==, !=) and a "
          "number with a unit, e.g. p99: \"< 250ms\"");
    CHECK(error_of("p99", "< fast") ==
          "threshold '< fast' has no number after '<'; write an operator (<, <=, >, >=, ==, !=) "
          "and a number with a unit, e.g. p99: \"< 250ms\"");
    CHECK(error_of("p99", "< -3ms").find("has no number") != std::string::npos);
    CHECK(error_of("p99", "< 250 apples") ==
          "threshold '< 250 apples': p99 does not take the unit 'apples'; p99 is in ms; write a "
          "number or one of us, µs, ms, s");
    CHECK(error_of("failures", "== 0ms") ==
          "threshold '== 0ms': failures does not take the unit 'ms'; failures is in requests; "
          "write a number or one of k, M, G");
    CHECK(error_of("requests_per_sec", "=> 10").find("has no number after '='") ==
          std::string::npos);
    CHECK_FALSE(error_of("requests_per_sec", "=> 10").empty());
}
