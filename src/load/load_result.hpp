#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stats/latency_histogram.hpp"
#include "stats/sample_stats.hpp"

namespace benchctl {

// Why a request failed.
enum class ErrorKind { connect, read, write, timeout, parse, check };

// Failed requests by why. All but `check` got no complete response.
struct ErrorCounts {
    std::uint64_t connect = 0;  // the connection could not be opened
    std::uint64_t read = 0;     // reset, or closed before the whole response arrived
    std::uint64_t write = 0;    // the request could not be sent
    std::uint64_t timeout = 0;  // no whole response within the timeout; connection replaced
    std::uint64_t parse = 0;    // the response was not valid HTTP/1.x
    std::uint64_t check = 0;    // a whole response that failed its expected status or captures
    std::uint64_t total() const { return connect + read + write + timeout + parse + check; }
    std::uint64_t& at(ErrorKind kind);
    void add(const ErrorCounts& other);
};

// Exact request accounting: started == completed + failed + in_flight_at_stop.
// A request is started when its first byte is written, or when it fails before that (connect).
struct RequestCounts {
    std::uint64_t started = 0;
    std::uint64_t completed = 0;  // a whole response of any status arrived (and passed checks)
    std::uint64_t failed = 0;     // == errors.total()
    std::uint64_t in_flight_at_stop = 0;  // sent, outcome unknown when the run was stopped
    void add(const RequestCounts& other);
};

// The figures of one named request of a mix or a sequence, kept beside the run's totals.
struct NamedRequestResult {
    std::string name;
    RequestCounts requests;
    ErrorCounts errors;
    std::map<int, std::uint64_t> status_codes;  // every response, those failing a check too
    LatencyHistogram latency;                   // of its completed requests, as `latency`
};

// How a data set was used.
struct DataSetOutcome {
    std::string name;
    std::string pick;  // "random", "sequential", "unique"
    std::uint64_t rows = 0;
    bool exhausted = false;  // unique: every row was taken, and the run stopped for it
};

// One second of the measured run (by completion time).
struct TimelineSecond {
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;
    std::uint64_t bytes_read = 0;
    std::uint64_t p50_us = 0;
    std::uint64_t p99_us = 0;
    // The second's latency histogram (two significant digits) as its non-empty buckets, (value
    // in us, count), ascending; what p50 and p99 were read from. Kept in memory and sent by a load
    // agent (so that a coordinator merges seconds exactly), not written to the load document;
    // empty when unknown (a document read back, an imported run).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> latency_buckets;
};

// Open-model bookkeeping (-R): how the schedule was kept.
struct RateAccounting {
    double target_per_sec = 0;
    std::uint64_t scheduled = 0;       // intended send times that fell inside the measured run
    std::uint64_t unsent_at_stop = 0;  // of those, still waiting for a free connection at stop
};

// The CPU one load thread used, measured by the thread itself (getrusage(RUSAGE_THREAD), user +
// system) from when it began to run to when it stopped, warm-up included: how close the client
// came to being the bottleneck.
struct ThreadUsage {
    double cpu_seconds = 0;
    double wall_seconds = 0;
    // cpu_seconds / wall_seconds, 0 without a wall time.
    double busy_fraction() const { return wall_seconds > 0 ? cpu_seconds / wall_seconds : 0; }
};

// What one load run measured. Plain data; merged from per-thread results after join.
struct LoadResult {
    std::string started_at;   // UTC ISO 8601, when the load began (warm-up included)
    double duration_sec = 0;  // measured wall time, monotonic clock
    RequestCounts requests;
    ErrorCounts errors;
    // Every final status seen, one by one, of the completed requests and of those that failed a
    // check (so the values sum to requests.completed + errors.check).
    std::map<int, std::uint64_t> status_codes;
    std::uint64_t bytes_read = 0;  // response bytes, headers included
    std::uint64_t bytes_written = 0;
    // Latency of completed requests in microseconds. Closed loop: from the first byte written
    // (connect included when the request had to open its connection). With a rate: from the
    // intended send time (wrk2's model, free of coordinated omission).
    LatencyHistogram latency;
    // With a rate only: from the actual send to the response ("service time").
    std::optional<LatencyHistogram> service_time;
    SampleSummary thread_requests_per_sec;  // per-thread rate sampled every 100 ms (wrk's Req/Sec)
    std::vector<TimelineSecond> timeline;
    std::optional<RateAccounting> rate;
    std::uint64_t warmup_requests = 0;      // completed during warm-up, not in any figure above
    bool interrupted = false;               // stopped early by a signal
    std::vector<ThreadUsage> thread_usage;  // one per load thread, in thread order
    std::uint64_t seed = 0;                 // the random sources' seed (given or drawn)
    // Connections opened by measured requests, and how long each connect took.
    std::uint64_t connections_opened = 0;
    LatencyHistogram connect_time;
    // Times the server sent bytes no request was waiting for: on an idle keep-alive connection,
    // or after a whole response in the same read. Each closed its connection and failed no
    // request, but it means the server and the client disagree on which response answers which
    // request. (Bytes that arrive before a request is written fail that request, as parse.)
    std::uint64_t unsolicited_responses = 0;
    std::vector<NamedRequestResult> by_name;  // a mix's entries or a sequence's steps, in order
    std::vector<DataSetOutcome> data_sets;
    // The unique data set whose rows ran out, which stopped the run early.
    std::optional<std::string> exhausted_data_set;

    // Responses with a status outside 200..399 (wrk's "Non-2xx or 3xx responses").
    std::uint64_t non_2xx_3xx() const;
    double requests_per_sec() const;
    double bytes_read_per_sec() const;
};

}  // namespace benchctl
