#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "load/url.hpp"

namespace benchctl {

// When a closed-loop run ends. A rate (open model) may be combined with any of them.
enum class StopRule {
    duration,    // wrk's -d: run for `duration`, then stop whatever is in flight
    requests,    // -n: exactly `total_requests` requests are sent, then wait for their outcome
    iterations,  // --iterations: each connection (a "user") sends `iterations` requests, then quits
};

// Requests sent only to warm the target up; never measured, never counted in the result's
// request totals (reported separately).
struct Warmup {
    std::optional<std::chrono::nanoseconds> period;  // warm up for this long ...
    std::optional<std::uint64_t> requests;           // ... or for this many requests
    bool enabled() const { return period.has_value() || requests.has_value(); }
};

// Everything one load run needs; built by the CLI (or a matrix cell) and validated by
// validate_load_settings().
struct LoadSettings {
    Url url;
    unsigned threads = 2;
    unsigned connections = 10;
    StopRule stop_rule = StopRule::duration;
    std::chrono::nanoseconds duration = std::chrono::seconds(10);
    std::uint64_t total_requests = 0;    // StopRule::requests
    std::uint64_t iterations = 0;        // StopRule::iterations, per connection
    std::optional<double> rate_per_sec;  // open model: constant arrival rate (wrk2 -R)
    std::chrono::nanoseconds timeout = std::chrono::seconds(2);
    std::string method = "GET";
    std::vector<std::pair<std::string, std::string>> headers;  // in command-line order
    std::string body;
    Warmup warmup;
    bool print_latency_distribution = false;  // wrk's --latency
};

// Checks the combination of settings a parser cannot check one flag at a time. Throws UserError
// naming the flag to change: threads >= 1 (-t), connections >= threads (-c), total_requests >=
// connections for StopRule::requests (-n), iterations >= 1 for StopRule::iterations
// (--iterations), duration > 0 for StopRule::duration (-d), a finite rate > 0 (-R), timeout > 0
// (--timeout), a method that is an HTTP token (--method), header names that are tokens and values
// without CR, LF or NUL (-H).
void validate_load_settings(const LoadSettings& settings);

// "duration", "requests" or "iterations".
const char* stop_rule_name(StopRule rule);

}  // namespace benchctl
