#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "load/url.hpp"

namespace benchctl {

struct RequestModel;

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

// benchctl load's defaults, for a setting nobody wrote (the flags' help states them).
inline constexpr unsigned k_default_threads = 2;
inline constexpr unsigned k_default_connections = 10;
inline constexpr std::chrono::seconds k_default_duration{10};
inline constexpr std::chrono::seconds k_default_timeout{2};

// Everything one load run needs; built from a LoadSpec by to_load_settings() (load_spec.hpp)
// and validated by validate_load_settings().
struct LoadSettings {
    Url url;
    unsigned threads = k_default_threads;
    unsigned connections = k_default_connections;
    StopRule stop_rule = StopRule::duration;
    std::chrono::nanoseconds duration = k_default_duration;
    std::uint64_t total_requests = 0;    // StopRule::requests
    std::uint64_t iterations = 0;        // StopRule::iterations, per connection
    std::optional<double> rate_per_sec;  // open model: constant arrival rate (wrk2 -R)
    std::chrono::nanoseconds timeout = k_default_timeout;
    // The one fixed request: method, url.target, headers and body, rendered once. With a
    // request model these describe its top-level request (as written, placeholders kept).
    std::string method = "GET";
    std::vector<std::pair<std::string, std::string>> headers;  // in command-line order
    std::string body;
    // What to send when it is more than one fixed request over kept-alive connections
    // (templates, data sets, a mix, a sequence, checks, keepalive off); nullptr otherwise.
    // Compiled once, shared read-only by every thread (request_model.hpp).
    std::shared_ptr<const RequestModel> requests;
    bool keepalive = true;              // false: a new connection for every request
    std::optional<std::uint64_t> seed;  // the random sources' seed; drawn at start when unset
    Warmup warmup;
    bool print_latency_distribution = false;  // wrk's --latency
    // The CPUs the load threads are pinned to (sched_setaffinity), ascending; empty: wherever
    // the kernel schedules them. Keeps the client off the target's cores (docs/trust.md).
    std::vector<unsigned> cpus;
};

// A load setting as people write it, for naming it in messages.
enum class LoadKey {
    url,
    threads,
    connections,
    duration,
    requests,
    iterations,
    rate,
    timeout,
    warmup,
    method,
    headers,
    body_file,
    cpus,
    keepalive,
    seed,
    latency,
};

// How the people who wrote the settings name them, so that a message names what they wrote:
// `benchctl load` by its flags ("-c", a hint "raise -c"), a matrix file by its keys
// ("connections", "raise connections"), located by `locate` ("load.connections in cell x").
class LoadSettingNames {
  public:
    // benchctl load's flags: "URL argument", "-t", "-c", "-d", "-n", "--iterations", "-R" ...
    static LoadSettingNames flags();
    // A matrix's keys under load: "url", "threads" ...; `locate` turns a key into the error's
    // where (the identity when omitted).
    static LoadSettingNames keys(std::function<std::string(const std::string& key)> locate = {});

    // The setting's own name: "-c" or "connections".
    std::string name(LoadKey key) const;
    // Where an error about the setting points: its name, located.
    std::string where(LoadKey key) const;
    // The setting written with a value, for hints: "-t 1" or "threads: 1".
    std::string written(LoadKey key, const std::string& value) const;
    bool are_flags() const { return m_flags; }

  private:
    LoadSettingNames(bool flags, std::function<std::string(const std::string&)> locate)
        : m_flags(flags), m_locate(std::move(locate)) {}
    bool m_flags;
    std::function<std::string(const std::string&)> m_locate;
};

// Checks the combination of settings a parser cannot check one value at a time. Throws UserError
// naming (by `names`) the setting to change: threads >= 1, connections >= threads, total_requests
// >= connections for StopRule::requests, iterations >= 1 for StopRule::iterations, duration > 0
// for StopRule::duration, a finite rate > 0, timeout > 0, a method that is an HTTP token, header
// names that are tokens and values without CR, LF or NUL.
void validate_load_settings(const LoadSettings& settings, const LoadSettingNames& names);

// RFC 9110's token: the characters of a method or a header field name (tchar), at least one.
bool is_token(std::string_view text);

// "duration", "requests" or "iterations".
const char* stop_rule_name(StopRule rule);

}  // namespace benchctl
