#pragma once

#include <sys/epoll.h>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "load/connection.hpp"
#include "load/load_result.hpp"
#include "load/run_plan.hpp"
#include "stats/latency_histogram.hpp"

namespace benchctl {

// The non-empty buckets of one second's latency histogram, kept compactly until merge.
struct SecondSnapshot {
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;
    std::uint64_t bytes_read = 0;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> latency_buckets;  // (value_us, count)
};

// One named request's figures in one thread.
struct NamedCounts {
    RequestCounts requests;
    ErrorCounts errors;
    std::vector<std::uint64_t> status_codes = std::vector<std::uint64_t>(1000);
    LatencyHistogram latency;
};

// What one thread measured; merged by run_load() after join.
struct ThreadResult {
    RequestCounts requests;
    ErrorCounts errors;
    std::array<std::uint64_t, 1000> status_codes{};
    std::uint64_t bytes_read = 0;
    std::uint64_t bytes_written = 0;
    LatencyHistogram latency;
    std::optional<LatencyHistogram> service_time;
    std::vector<double> requests_per_sec_samples;
    std::vector<SecondSnapshot> timeline;
    std::uint64_t scheduled = 0;
    std::uint64_t unsent_at_stop = 0;
    std::uint64_t warmup_requests = 0;
    std::uint64_t stop_ns = 0;
    std::uint64_t connections_opened = 0;
    LatencyHistogram connect_time;
    std::uint64_t unsolicited_responses = 0;  // as LoadResult's
    std::vector<NamedCounts> named;           // by request of the model, when it names them
    std::optional<std::uint32_t> exhausted_set;
};

// One event loop (epoll) driving a fixed set of connections, as wrk's threads do: non-blocking
// sockets, one request in flight per connection, the request bytes shared, one receive buffer
// for all connections (the parser keeps no pointer into it), per-thread counters merged after
// join. Never throws once constructed: every failure on the wire is counted and the loop goes on.
class LoadThread {
  public:
    // `index` is this thread's position among `thread_count` threads (it interleaves the rate
    // schedule); `connection_count` connections are opened lazily by the first requests, and are
    // numbered from `first_connection` in the run ({{connection}}).
    // Throws std::system_error when epoll cannot be created.
    LoadThread(RunPlan& plan, unsigned index, unsigned thread_count, unsigned connection_count,
               std::uint64_t first_connection = 0);
    ~LoadThread();
    LoadThread(const LoadThread&) = delete;
    LoadThread& operator=(const LoadThread&) = delete;

    // Runs until the stop rule is met or a stop is requested. Call once, on its own thread.
    void run();

    // The measurements; valid after run() returned. Moves them out.
    ThreadResult take_result() { return std::move(m_result); }

  private:
    // The loop's steps.
    bool should_stop(std::uint64_t now);
    bool all_done() const;
    void dispatch(std::uint64_t now);
    std::uint64_t wait_timeout_ns(std::uint64_t now) const;
    void handle_event(const epoll_event& event, std::uint64_t now);
    void finish(std::uint64_t now);

    // A request's life on one connection.
    bool begin_request(Connection& c, std::uint64_t now, std::uint64_t intended);
    bool prepare_request(Connection& c);
    void finish_connection(Connection& c);
    void open_connection(Connection& c, std::uint64_t now);
    void connected(Connection& c, std::uint64_t now);
    void send_request(Connection& c, std::uint64_t now);
    void receive(Connection& c, std::uint64_t now);
    void complete_response(Connection& c, std::uint64_t now, bool must_close);
    // Counts bytes that arrived while no request of `c` awaited them (LoadResult's
    // unsolicited_responses), when its last request was measured.
    void count_unsolicited(const Connection& c);
    void record_response(Connection& c, std::uint64_t now, int status, bool failed_check);
    void fail_request(Connection& c, ErrorKind kind, std::uint64_t now);
    void close_socket(Connection& c);
    void watch_writable(Connection& c, bool writable);
    void expire_timeouts(std::uint64_t now);

    // Measurement.
    void count_started(Connection& c);
    NamedCounts* named(const Connection& c);
    void count_event_in_second(std::uint64_t now, bool failed, std::uint64_t latency_us);
    void roll_second(std::uint64_t second);
    void sample_rate(std::uint64_t now);
    void publish_progress();
    std::uint64_t intended_time(std::uint64_t k) const;

    RunPlan& m_plan;
    const LoadSettings& m_settings;
    unsigned m_index;
    unsigned m_thread_count;
    int m_epoll_fd = -1;
    std::vector<Connection> m_connections;
    std::vector<std::uint32_t> m_ready;        // connections with no request in flight
    std::vector<std::uint32_t> m_dispatching;  // scratch for dispatch()
    std::vector<char> m_receive_buffer;
    std::uint64_t m_in_flight = 0;
    std::size_t m_finished = 0;  // connections that will send nothing more
    std::uint64_t m_first_connection;

    // With a request model: this thread's way through it, and each connection's place in it.
    std::optional<RequestSource> m_source;
    std::vector<VirtualUser> m_users;
    std::uint64_t m_timeout_ns;

    // Rate schedule: the k-th request of this thread is intended at intended_time(k).
    bool m_open_model;
    double m_interval_ns = 0;
    std::uint64_t m_next_k = 0;

    // Periodic work.
    std::uint64_t m_next_timeout_scan_ns = 0;
    std::uint64_t m_next_rate_sample_ns = 0;
    std::uint64_t m_window_start_ns = 0;
    std::uint64_t m_window_completed = 0;
    std::uint64_t m_progress_completed = 0;
    std::uint64_t m_progress_failed = 0;

    // The current second of the timeline.
    std::uint64_t m_current_second = 0;
    LatencyHistogram m_second_latency;
    SecondSnapshot m_second;

    ThreadResult m_result;
};

}  // namespace benchctl
