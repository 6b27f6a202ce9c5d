#include "report/text/wrk_text.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

using namespace std::chrono_literals;
using benchctl::LatencyHistogram;
using benchctl::LoadResult;
using benchctl::LoadSettings;
using benchctl::render_wrk_text;
using benchctl::StopRule;

namespace {

// A histogram holding `count` observations of each `value` (microseconds).
LatencyHistogram latency_of(std::initializer_list<std::pair<std::uint64_t, std::uint64_t>> groups) {
    LatencyHistogram histogram;
    for (const auto& [value, count] : groups)
        histogram.record(value, count);
    return histogram;
}

LoadSettings settings_for(const std::string& url, unsigned threads, unsigned connections) {
    LoadSettings settings;
    settings.url.text = url;
    settings.threads = threads;
    settings.connections = connections;
    settings.duration = 10s;
    return settings;
}

// Source document 000, "WSGI Gunicorn Gevent / Fake redis hit / Sync". The latency data are
// chosen so that mean, stddev, max and the within-stddev share round to the printed figures.
LoadResult cache_hit_result() {
    LoadResult result;
    result.latency = latency_of({{82'777, 8929}, {336, 880}, {570'100, 191}});
    result.thread_requests_per_sec = {1370, 318.64, 2910, 78.31};
    result.requests = {269272, 269272, 0, 0};
    result.status_codes = {{200, 269272}};
    result.duration_sec = 269272 / 26658.0;
    result.bytes_read = 78'894'858;
    return result;
}

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

bool mentions(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("renders a duration run exactly as wrk prints it") {
    const LoadSettings settings =
        settings_for("http://localhost:8000/myapp/sync/cache_hit", 20, 2000);
    CHECK(render_wrk_text(settings, cache_hit_result()) ==
          "Running 10s test @ http://localhost:8000/myapp/sync/cache_hit\n"
          "  20 threads and 2000 connections\n"
          "  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
          "    Latency    84.83ms   71.62ms 570.10ms   89.29%\n"
          "    Req/Sec     1.37k   318.64     2.91k    78.31%\n"
          "  269272 requests in 10.10s, 75.24MB read\n"
          "Requests/sec:  26658.00\n"
          "Transfer/sec:      7.45MB\n"
          "  Requests: 269272 started, 269272 completed, 0 failed, 0 in flight at stop\n"
          "  Status codes: 200 x 269272\n");
}

TEST_CASE("aligns seconds and plain counts in the Thread Stats columns as wrk does") {
    // Source document 000: "ASGI Gunicorn Uvicorn / Fake redis hit / Sync" and "cache_set".
    LoadResult result = cache_hit_result();
    result.latency = latency_of({{378'062, 9203}, {637, 779}, {1'200'000, 18}});
    result.thread_requests_per_sec = {491.36, 269.57, 1000, 57.22};
    const std::string text = render_wrk_text(settings_for("http://x/", 20, 2000), result);
    CHECK(has_line(text, "    Latency   350.14ms  107.39ms   1.20s    92.03%"));
    CHECK(has_line(text, "    Req/Sec   491.36    269.57     1.00k    57.22%"));
}

TEST_CASE("prints the latency distribution only when asked for") {
    LoadSettings settings = settings_for("http://0.0.0.0:8000/worker/create", 4, 8);
    LoadResult result = cache_hit_result();
    result.latency =
        latency_of({{13'500, 50}, {25'660, 25}, {31'790, 15}, {63'200, 9}, {100'000, 1}});
    CHECK_FALSE(mentions(render_wrk_text(settings, result), "Latency Distribution"));

    settings.print_latency_distribution = true;
    const std::string text = render_wrk_text(settings, result);
    CHECK(mentions(text,
                   "    Req/Sec     1.37k   318.64     2.91k    78.31%\n"
                   "  Latency Distribution\n"
                   "     50%   13.50ms\n"
                   "     75%   25.66ms\n"
                   "     90%   31.79ms\n"
                   "     99%   63.23ms\n"
                   "  269272 requests in"));
}

TEST_CASE("prints socket errors only when one was counted") {
    LoadResult result = cache_hit_result();
    const LoadSettings settings = settings_for("http://x/", 2, 10);
    CHECK_FALSE(mentions(render_wrk_text(settings, result), "Socket errors"));

    result.errors.parse = 3;
    CHECK_FALSE(mentions(render_wrk_text(settings, result), "Socket errors"));

    result.errors.read = 12;
    result.errors.timeout = 4;
    const std::string text = render_wrk_text(settings, result);
    CHECK(mentions(text,
                   "  269272 requests in 10.10s, 75.24MB read\n"
                   "  Socket errors: connect 0, read 12, write 0, timeout 4\n"
                   "Requests/sec:"));
}

TEST_CASE("counts responses outside 200 to 399 as wrk's non-2xx or 3xx") {
    LoadResult result = cache_hit_result();
    const LoadSettings settings = settings_for("http://x/", 2, 10);
    result.status_codes = {{200, 26658}, {301, 5}, {399, 1}};
    CHECK_FALSE(mentions(render_wrk_text(settings, result), "Non-2xx"));

    result.status_codes = {{101, 1}, {200, 26658}, {404, 12}, {500, 3}};
    const std::string text = render_wrk_text(settings, result);
    CHECK(mentions(text, "  Non-2xx or 3xx responses: 16\nRequests/sec:"));
    CHECK(has_line(text, "  Status codes: 101 x 1, 200 x 26658, 404 x 12, 500 x 3"));
}

TEST_CASE("leaves out benchctl's conditional lines when they would say nothing") {
    LoadResult result = cache_hit_result();
    result.status_codes.clear();
    const std::string text = render_wrk_text(settings_for("http://x/", 2, 10), result);
    for (const char* absent : {"Status codes", "Parse errors", "Rate:", "Service time", "Warm-up",
                               "Interrupted", "Non-2xx", "Socket errors"}) {
        INFO(absent);
        CHECK_FALSE(mentions(text, absent));
    }
    CHECK(has_line(text,
                   "  Requests: 269272 started, 269272 completed, 0 failed, 0 in flight at stop"));
}

TEST_CASE("accounts for every request started, with parse errors on their own line") {
    LoadResult result = cache_hit_result();
    result.requests = {1000, 990, 2, 8};
    result.errors.parse = 2;
    const std::string text = render_wrk_text(settings_for("http://x/", 2, 10), result);
    CHECK(has_line(text, "  Requests: 1000 started, 990 completed, 2 failed, 8 in flight at stop"));
    CHECK(has_line(text, "  Parse errors: 2"));
}

TEST_CASE("names the stop rule in the Running line") {
    LoadSettings settings = settings_for("http://127.0.0.1:8000/", 2, 10);
    const LoadResult result = cache_hit_result();
    settings.duration = 60s;
    CHECK(render_wrk_text(settings, result)
              .starts_with("Running 1m test @ http://127.0.0.1:8000/\n"));
    settings.duration = 2500ms;
    CHECK(render_wrk_text(settings, result).starts_with("Running 2.50s test @ "));
    settings.stop_rule = StopRule::requests;
    settings.total_requests = 1000;
    CHECK(render_wrk_text(settings, result).starts_with("Running 1000 requests test @ "));
    settings.stop_rule = StopRule::iterations;
    settings.iterations = 1000;
    CHECK(render_wrk_text(settings, result).starts_with("Running 10 x 1000 iterations test @ "));
}

TEST_CASE("with a rate, says how the schedule was kept and what the service time was") {
    LoadResult result = cache_hit_result();
    result.rate = benchctl::RateAccounting{500, 2500, 0};
    result.service_time = latency_of({{1000, 50}, {2000, 40}, {5000, 9}, {9870, 1}});
    const std::string text = render_wrk_text(settings_for("http://x/", 2, 10), result);
    CHECK(has_line(text, "  Rate: 500.00/s target, 2500 scheduled, 0 unsent at stop"));
    CHECK(has_line(text, "  Service time: p50 1.00ms, p90 2.00ms, p99 5.00ms, max 9.87ms"));
}

TEST_CASE("reports warm-up requests when warm-up was asked for") {
    LoadSettings settings = settings_for("http://x/", 2, 10);
    settings.warmup.requests = 200;
    LoadResult result = cache_hit_result();
    CHECK(has_line(render_wrk_text(settings, result), "  Warm-up: 0 requests not measured"));
    result.warmup_requests = 200;
    CHECK(has_line(render_wrk_text(settings, result), "  Warm-up: 200 requests not measured"));
}

TEST_CASE("says when the results stop at an interrupt") {
    LoadResult result = cache_hit_result();
    result.interrupted = true;
    const std::string text = render_wrk_text(settings_for("http://x/", 2, 10), result);
    CHECK(has_line(text, "  Interrupted: results cover the run until the stop signal"));
}

TEST_CASE("an empty run renders zeros rather than failing") {
    LoadResult result;
    result.duration_sec = 0;
    const std::string text = render_wrk_text(settings_for("http://x/", 1, 1), result);
    CHECK(has_line(text, "    Latency     0.00us    0.00us   0.00us    0.00%"));
    CHECK(has_line(text, "Requests/sec:      0.00"));
    CHECK(has_line(text, "Transfer/sec:       0.00B"));
}
