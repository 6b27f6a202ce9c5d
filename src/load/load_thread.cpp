#include "load/load_thread.hpp"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <system_error>

#include "load/fast_random.hpp"
#include "load/request_model.hpp"
#include "util/clock.hpp"

namespace benchctl {

namespace {

constexpr std::size_t k_receive_buffer_bytes = 64 * 1024;
constexpr std::size_t k_events_per_wait = 256;
// wrk samples each thread's request rate every 100 ms for its Req/Sec row; so do we.
constexpr std::uint64_t k_rate_sample_interval_ns = 100'000'000;
// The longest the loop sleeps: bounds how late it notices a stop request.
constexpr std::uint64_t k_max_wait_ns = 20'000'000;
// Timeouts are checked ten times per timeout period (so they fire within 10% of it).
constexpr std::uint64_t k_min_timeout_scan_ns = 1'000'000;
constexpr std::uint64_t k_max_timeout_scan_ns = 100'000'000;
// The per-second timeline only needs p50/p99: two significant digits keep it small.
constexpr int k_timeline_significant_digits = 2;

std::uint64_t to_us(std::uint64_t ns) {
    return (ns + 500) / 1000;
}

std::uint64_t pack_event(std::uint32_t index, std::uint32_t generation) {
    return (static_cast<std::uint64_t>(generation) << 32) | index;
}

}  // namespace

bool RunPlan::begin_is_measured(std::uint64_t now_ns) {
    std::uint64_t start = measure_start_ns.load(std::memory_order_relaxed);
    if (start != k_not_yet)
        return now_ns >= start;
    // A warm-up counted in requests: the first begin that finds no ticket starts measurement.
    if (warmup_tickets.fetch_sub(1, std::memory_order_relaxed) > 0)
        return false;
    std::uint64_t expected = k_not_yet;
    measure_start_ns.compare_exchange_strong(expected, now_ns, std::memory_order_relaxed);
    return now_ns >= measure_start_ns.load(std::memory_order_relaxed);
}

bool RunPlan::take_request_ticket() {
    if (settings.stop_rule != StopRule::requests)
        return true;
    return request_tickets.fetch_sub(1, std::memory_order_relaxed) > 0;
}

LoadThread::LoadThread(RunPlan& plan, unsigned index, unsigned thread_count,
                       unsigned connection_count, std::uint64_t first_connection)
    : m_plan(plan),
      m_settings(plan.settings),
      m_index(index),
      m_thread_count(thread_count),
      m_connections(connection_count),
      m_receive_buffer(k_receive_buffer_bytes),
      m_first_connection(first_connection),
      m_timeout_ns(static_cast<std::uint64_t>(plan.settings.timeout.count())),
      m_open_model(plan.settings.rate_per_sec.has_value()),
      m_second_latency(LatencyHistogram::k_default_highest_us, k_timeline_significant_digits) {
    m_epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll_fd < 0)
        throw std::system_error(errno, std::generic_category(), "epoll_create1");
    m_ready.reserve(connection_count);
    for (std::uint32_t i = connection_count; i-- > 0;) {
        m_connections[i].iterations_left = m_settings.iterations;
        m_ready.push_back(i);
    }
    if (m_open_model) {
        m_interval_ns = k_ns_per_sec * static_cast<double>(thread_count) / *m_settings.rate_per_sec;
        m_result.service_time.emplace();
    }
    if (const RequestModel* model = m_settings.requests.get()) {
        m_source.emplace(*model, *plan.data_cursors, thread_seed(plan.seed, index), index,
                         thread_count);
        m_users.resize(connection_count);
        for (VirtualUser& user : m_users)
            m_source->attach(user);
        if (model->named())
            m_result.named.resize(model->requests.size());
    }
}

LoadThread::~LoadThread() {
    for (Connection& c : m_connections)
        close_socket(c);
    if (m_epoll_fd >= 0)
        close(m_epoll_fd);
}

void LoadThread::run() {
    // The default 50 us timer slack would delay every scheduled send in rate mode, and that
    // delay would be measured as the server's latency.
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    std::uint64_t now = monotonic_ns();
    std::uint64_t scan =
        std::clamp(m_timeout_ns / 10, k_min_timeout_scan_ns, k_max_timeout_scan_ns);
    m_next_timeout_scan_ns = now + scan;
    m_next_rate_sample_ns = now + k_rate_sample_interval_ns;
    m_window_start_ns = now;
    epoll_event events[k_events_per_wait];
    bool cut_short = false;
    while (true) {
        if (should_stop(now)) {
            cut_short = true;
            break;
        }
        dispatch(now);
        if (all_done())
            break;
        std::uint64_t wait = wait_timeout_ns(now);
        timespec timeout{static_cast<time_t>(wait / k_ns_per_sec),
                         static_cast<long>(wait % k_ns_per_sec)};
        int n = epoll_pwait2(m_epoll_fd, events, k_events_per_wait, &timeout, nullptr);
        now = monotonic_ns();
        for (int i = 0; i < n; ++i)
            handle_event(events[i], now);
        if (now >= m_next_timeout_scan_ns) {
            expire_timeouts(now);
            m_next_timeout_scan_ns = now + scan;
        }
        if (now >= m_next_rate_sample_ns) {
            sample_rate(now);
            publish_progress();
        }
    }
    if (cut_short && m_open_model) {
        // Intended send times that fell before the stop but found no free connection.
        std::uint64_t measure_start = m_plan.measure_start_ns.load(std::memory_order_relaxed);
        auto due_before = [&](std::uint64_t t) -> std::uint64_t {
            if (t <= m_plan.start_ns)
                return 0;
            double slots = (static_cast<double>(t - m_plan.start_ns) / m_interval_ns) -
                           static_cast<double>(m_index) / m_thread_count;
            return slots <= 0 ? 0 : static_cast<std::uint64_t>(std::ceil(slots));
        };
        std::uint64_t stop = now;
        if (m_settings.stop_rule == StopRule::duration && !m_plan.stop.stop_requested()) {
            stop = std::min(
                now, measure_start + static_cast<std::uint64_t>(m_settings.duration.count()));
        }
        std::uint64_t first = std::max(m_next_k, due_before(measure_start));
        std::uint64_t last = due_before(stop);
        if (measure_start != RunPlan::k_not_yet && last > first) {
            m_result.unsent_at_stop += last - first;
            m_result.scheduled += last - first;
        }
    }
    finish(now);
}

bool LoadThread::should_stop(std::uint64_t now) {
    if (m_plan.stop.stop_requested())
        return true;
    if (m_settings.stop_rule != StopRule::duration)
        return false;
    std::uint64_t start = m_plan.measure_start_ns.load(std::memory_order_relaxed);
    return start != RunPlan::k_not_yet &&
           now >= start + static_cast<std::uint64_t>(m_settings.duration.count());
}

// Every connection is finished, or, with a stop rule that counts requests, none has one to send.
bool LoadThread::all_done() const {
    if (m_finished == m_connections.size())
        return true;
    return m_settings.stop_rule != StopRule::duration && m_ready.empty() && m_in_flight == 0;
}

std::uint64_t LoadThread::intended_time(std::uint64_t k) const {
    double slot = static_cast<double>(k) + static_cast<double>(m_index) / m_thread_count;
    return m_plan.start_ns + static_cast<std::uint64_t>(slot * m_interval_ns);
}

// Closed loop: every connection without a request begins one now. Open model: connections wait
// for the schedule, and a due request waits for a free connection (its latency still counts
// from the intended time).
void LoadThread::dispatch(std::uint64_t now) {
    if (!m_open_model) {
        m_dispatching.swap(m_ready);
        for (std::uint32_t index : m_dispatching)
            begin_request(m_connections[index], now, now);
        m_dispatching.clear();
        return;
    }
    while (!m_ready.empty()) {
        std::uint64_t intended = intended_time(m_next_k);
        if (intended > now)
            break;
        Connection& c = m_connections[m_ready.back()];
        m_ready.pop_back();
        if (begin_request(c, now, intended))
            ++m_next_k;
    }
}

std::uint64_t LoadThread::wait_timeout_ns(std::uint64_t now) const {
    std::uint64_t until =
        std::min({now + k_max_wait_ns, m_next_timeout_scan_ns, m_next_rate_sample_ns});
    if (m_settings.stop_rule == StopRule::duration) {
        std::uint64_t start = m_plan.measure_start_ns.load(std::memory_order_relaxed);
        if (start != RunPlan::k_not_yet) {
            until =
                std::min(until, start + static_cast<std::uint64_t>(m_settings.duration.count()));
        }
    }
    if (!m_ready.empty()) {
        until = std::min(until, m_open_model ? intended_time(m_next_k) : now);
    }
    return until > now ? until - now : 0;
}

void LoadThread::handle_event(const epoll_event& event, std::uint64_t now) {
    auto index = static_cast<std::uint32_t>(event.data.u64);
    auto generation = static_cast<std::uint32_t>(event.data.u64 >> 32);
    Connection& c = m_connections[index];
    if (c.fd < 0 || c.generation != generation)
        return;  // stale: the socket was replaced
    if (c.state == ConnectionState::connecting) {
        if (!connect_succeeded(c.fd)) {
            fail_request(c, ErrorKind::connect, now);
            return;
        }
        connected(c, now);
        if ((event.events & EPOLLIN) && has_bytes_waiting(c.fd)) {
            // The server spoke before it was asked (a response sent at accept, a greeting):
            // whatever it sent answers no request of ours, so this one fails as a protocol error
            // instead of taking those bytes for its response.
            fail_request(c, ErrorKind::parse, now);
            return;
        }
        send_request(c, now);
        return;
    }
    if (event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        receive(c, now);
        if (c.fd < 0 || c.generation != generation)
            return;
    }
    if ((event.events & EPOLLOUT) && c.state == ConnectionState::writing)
        send_request(c, now);
}

// Returns false when this connection may send nothing more (its tickets or iterations are used
// up); it is then finished and closed.
bool LoadThread::begin_request(Connection& c, std::uint64_t now, std::uint64_t intended) {
    bool measured = m_plan.begin_is_measured(intended);
    if (measured) {
        bool allowed = m_plan.take_request_ticket();
        if (m_settings.stop_rule == StopRule::iterations)
            allowed = c.iterations_left > 0;
        if (!allowed) {
            finish_connection(c);
            return false;
        }
        if (m_settings.stop_rule == StopRule::iterations)
            --c.iterations_left;
        if (m_open_model)
            ++m_result.scheduled;
    }
    if (!prepare_request(c)) {
        finish_connection(c);  // a unique data set has no row left
        return false;
    }
    c.measured = measured;
    c.begun_ns = now;
    c.intended_ns = intended;
    c.bytes_sent = 0;
    c.started = false;
    ++m_in_flight;
    if (c.fd < 0) {
        open_connection(c, now);
    } else {
        send_request(c, now);
    }
    return true;
}

// Chooses and renders the connection's next request (the plan's fixed one without a model) and
// readies the parser for its response. False when a unique data set has no row left.
bool LoadThread::prepare_request(Connection& c) {
    if (!m_source) {
        c.request_data = m_plan.request.data();
        c.request_size = m_plan.request.size();
        c.parser.start_response(m_plan.expect_body);
        return true;
    }
    const auto index = static_cast<std::size_t>(&c - m_connections.data());
    VirtualUser& user = m_users[index];
    std::optional<PreparedRequest> prepared = m_source->next(user, m_first_connection + index);
    if (!prepared) {
        m_result.exhausted_set = m_source->exhausted_set();
        return false;
    }
    c.request_data = prepared->bytes.data();
    c.request_size = prepared->bytes.size();
    c.request_index = prepared->index;
    c.expect_body = prepared->expect_body;
    c.parser.start_response(prepared->expect_body, m_source->observer(user));
    return true;
}

void LoadThread::finish_connection(Connection& c) {
    close_socket(c);
    c.state = ConnectionState::finished;
    ++m_finished;
}

void LoadThread::connected(Connection& c, std::uint64_t now) {
    if (!c.measured)
        return;
    ++m_result.connections_opened;
    m_result.connect_time.record(to_us(now - c.begun_ns));
}

void LoadThread::open_connection(Connection& c, std::uint64_t now) {
    ++c.generation;
    ConnectStart start = start_connect(reinterpret_cast<const sockaddr*>(&m_plan.address),
                                       m_plan.address_length, c.fd);
    if (start == ConnectStart::failed) {
        fail_request(c, ErrorKind::connect, now);
        return;
    }
    epoll_event event{};
    event.events = start == ConnectStart::in_progress ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
    event.data.u64 =
        pack_event(static_cast<std::uint32_t>(&c - m_connections.data()), c.generation);
    if (epoll_ctl(m_epoll_fd, EPOLL_CTL_ADD, c.fd, &event) != 0) {
        fail_request(c, ErrorKind::connect, now);
        return;
    }
    c.wants_writable = start == ConnectStart::in_progress;
    if (start == ConnectStart::in_progress) {
        c.state = ConnectionState::connecting;
    } else {
        connected(c, now);
        send_request(c, now);
    }
}

void LoadThread::send_request(Connection& c, std::uint64_t now) {
    c.state = ConnectionState::writing;
    while (c.bytes_sent < c.request_size) {
        ssize_t n =
            send(c.fd, c.request_data + c.bytes_sent, c.request_size - c.bytes_sent, MSG_NOSIGNAL);
        if (n > 0) {
            if (!c.started && c.measured)
                count_started(c);
            c.started = true;
            c.bytes_sent += static_cast<std::size_t>(n);
            if (c.measured)
                m_result.bytes_written += static_cast<std::uint64_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            watch_writable(c, true);
            return;
        }
        fail_request(c, ErrorKind::write, now);
        return;
    }
    watch_writable(c, false);
    c.state = ConnectionState::reading;
}

void LoadThread::receive(Connection& c, std::uint64_t now) {
    ssize_t n = recv(c.fd, m_receive_buffer.data(), m_receive_buffer.size(), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (!c.in_flight()) {
        // An idle keep-alive connection closed by the server, or bytes nobody asked for: drop the
        // socket; the next request opens a new one.
        if (n > 0)
            count_unsolicited(c);
        close_socket(c);
        return;
    }
    if (n < 0) {
        fail_request(c, ErrorKind::read, now);
        return;
    }
    if (n == 0) {
        if (c.parser.finish() == HttpResponseParser::Outcome::response_complete) {
            complete_response(c, now, true);
        } else {
            fail_request(c, ErrorKind::read, now);
        }
        return;
    }
    if (c.state == ConnectionState::writing) {
        // Bytes before the whole request was written answer no request of ours (a response sent
        // early, a greeting): a protocol error, counted as parse, never this request's response.
        fail_request(c, ErrorKind::parse, now);
        return;
    }
    auto length = static_cast<std::size_t>(n);
    if (c.measured) {
        m_result.bytes_read += length;
        m_second.bytes_read += length;
    }
    HttpResponseParser::FeedResult fed = c.parser.feed(m_receive_buffer.data(), length);
    if (fed.outcome == HttpResponseParser::Outcome::error) {
        fail_request(c, ErrorKind::parse, now);
    } else if (fed.outcome == HttpResponseParser::Outcome::response_complete) {
        // Bytes after the response belong to no request we sent: the connection is out of step.
        const bool out_of_step = fed.consumed < length;
        if (out_of_step)
            count_unsolicited(c);
        complete_response(c, now, out_of_step);
    }
}

void LoadThread::count_unsolicited(const Connection& c) {
    if (c.measured)
        ++m_result.unsolicited_responses;
}

void LoadThread::complete_response(Connection& c, std::uint64_t now, bool must_close) {
    --m_in_flight;
    const int status = c.parser.status_code();
    bool failed_check = false;
    if (m_source) {
        failed_check =
            m_source->complete(m_users[static_cast<std::size_t>(&c - m_connections.data())], status)
                .has_value();
    }
    if (c.measured) {
        record_response(c, now, status, failed_check);
    } else {
        ++m_result.warmup_requests;
    }
    bool keep_open = !must_close && m_settings.keepalive && c.parser.keep_alive() &&
                     c.bytes_sent == c.request_size;
    if (!keep_open)
        close_socket(c);
    c.state = ConnectionState::ready;
    if (m_open_model) {
        m_ready.push_back(static_cast<std::uint32_t>(&c - m_connections.data()));
    } else {
        begin_request(c, now, now);
    }
}

// A whole response of a measured request: its status always counts; it completed, or failed its
// check (a failure of class check, never in a latency).
void LoadThread::record_response(Connection& c, std::uint64_t now, int status, bool failed_check) {
    if (!c.started)
        count_started(c);
    const auto code = static_cast<std::size_t>(std::clamp(status, 0, 999));
    ++m_result.status_codes[code];
    NamedCounts* counts = named(c);
    if (counts != nullptr)
        ++counts->status_codes[code];
    if (failed_check) {
        ++m_result.requests.failed;
        ++m_result.errors.check;
        if (counts != nullptr) {
            ++counts->requests.failed;
            ++counts->errors.check;
        }
        count_event_in_second(now, true, 0);
        return;
    }
    ++m_result.requests.completed;
    std::uint64_t from = m_open_model ? c.intended_ns : c.begun_ns;
    std::uint64_t latency_us = to_us(now - std::min(from, now));
    m_result.latency.record(latency_us);
    if (counts != nullptr) {
        ++counts->requests.completed;
        counts->latency.record(latency_us);
    }
    if (m_open_model)
        m_result.service_time->record(to_us(now - c.begun_ns));
    count_event_in_second(now, false, latency_us);
    ++m_window_completed;
}

// Counts the failure, closes the connection and queues it for the next request (never begins
// one here, so a connect that fails at once cannot recurse).
void LoadThread::fail_request(Connection& c, ErrorKind kind, std::uint64_t now) {
    --m_in_flight;
    if (m_source)
        m_source->fail(m_users[static_cast<std::size_t>(&c - m_connections.data())]);
    if (c.measured) {
        if (!c.started)
            count_started(c);
        ++m_result.requests.failed;
        ++m_result.errors.at(kind);
        if (NamedCounts* counts = named(c)) {
            ++counts->requests.failed;
            ++counts->errors.at(kind);
        }
        count_event_in_second(now, true, 0);
    }
    close_socket(c);
    c.state = ConnectionState::ready;
    m_ready.push_back(static_cast<std::uint32_t>(&c - m_connections.data()));
}

void LoadThread::close_socket(Connection& c) {
    if (c.fd < 0)
        return;
    close(c.fd);  // also removes it from the epoll set
    c.fd = -1;
    c.wants_writable = false;
}

void LoadThread::watch_writable(Connection& c, bool writable) {
    if (c.wants_writable == writable)
        return;
    epoll_event event{};
    event.events = writable ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
    event.data.u64 =
        pack_event(static_cast<std::uint32_t>(&c - m_connections.data()), c.generation);
    epoll_ctl(m_epoll_fd, EPOLL_CTL_MOD, c.fd, &event);
    c.wants_writable = writable;
}

void LoadThread::expire_timeouts(std::uint64_t now) {
    for (Connection& c : m_connections) {
        if (c.in_flight() && now - c.begun_ns >= m_timeout_ns) {
            fail_request(c, ErrorKind::timeout, now);
        }
    }
}

void LoadThread::count_started(Connection& c) {
    ++m_result.requests.started;
    if (NamedCounts* counts = named(c))
        ++counts->requests.started;
}

NamedCounts* LoadThread::named(const Connection& c) {
    return m_result.named.empty() ? nullptr : &m_result.named[c.request_index];
}

void LoadThread::count_event_in_second(std::uint64_t now, bool failed, std::uint64_t latency_us) {
    std::uint64_t start = m_plan.measure_start_ns.load(std::memory_order_relaxed);
    std::uint64_t second = now > start ? (now - start) / k_ns_per_sec : 0;
    if (second != m_current_second)
        roll_second(second);
    if (failed) {
        ++m_second.failed;
    } else {
        ++m_second.completed;
        m_second_latency.record(latency_us);
    }
}

void LoadThread::roll_second(std::uint64_t next_second) {
    m_second_latency.for_each_bucket([&](std::uint64_t value, std::uint64_t count) {
        m_second.latency_buckets.emplace_back(value, count);
    });
    if (m_result.timeline.size() <= m_current_second)
        m_result.timeline.resize(m_current_second + 1);
    m_result.timeline[m_current_second] = std::move(m_second);
    m_second = SecondSnapshot{};
    m_second_latency.reset();
    m_current_second = next_second;
}

void LoadThread::sample_rate(std::uint64_t now) {
    std::uint64_t start = m_plan.measure_start_ns.load(std::memory_order_relaxed);
    if (start != RunPlan::k_not_yet && m_window_start_ns >= start) {
        double elapsed = static_cast<double>(now - m_window_start_ns) / k_ns_per_sec;
        m_result.requests_per_sec_samples.push_back(static_cast<double>(m_window_completed) /
                                                    elapsed);
    }
    m_window_completed = 0;
    m_window_start_ns = now;
    m_next_rate_sample_ns = now + k_rate_sample_interval_ns;
}

void LoadThread::publish_progress() {
    if (m_plan.progress != nullptr) {
        if (m_plan.measure_start_ns.load(std::memory_order_relaxed) != RunPlan::k_not_yet) {
            m_plan.progress->measuring.store(true, std::memory_order_relaxed);
        }
        m_plan.progress->completed.fetch_add(m_result.requests.completed - m_progress_completed,
                                             std::memory_order_relaxed);
        m_plan.progress->failed.fetch_add(m_result.requests.failed - m_progress_failed,
                                          std::memory_order_relaxed);
        m_progress_completed = m_result.requests.completed;
        m_progress_failed = m_result.requests.failed;
    }
}

void LoadThread::finish(std::uint64_t now) {
    for (Connection& c : m_connections) {
        if (c.in_flight() && c.measured) {
            if (c.started) {
                ++m_result.requests.in_flight_at_stop;
                if (NamedCounts* counts = named(c))
                    ++counts->requests.in_flight_at_stop;
            } else if (m_open_model) {
                ++m_result.unsent_at_stop;  // still connecting: scheduled, never sent
            }
        }
        close_socket(c);
    }
    m_in_flight = 0;
    if (m_plan.measure_start_ns.load(std::memory_order_relaxed) != RunPlan::k_not_yet) {
        roll_second(m_current_second);
    }
    m_result.stop_ns = now;
    // A run shorter than one sampling interval still gets its one (partial) sample.
    if (m_result.requests_per_sec_samples.empty() && now > m_window_start_ns)
        sample_rate(now);
    publish_progress();
}

}  // namespace benchctl
