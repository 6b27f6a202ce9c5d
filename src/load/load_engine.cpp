#include "load/load_engine.hpp"

#include <fmt/format.h>
#include <netdb.h>
#include <sys/resource.h>
#include <sys/time.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <system_error>
#include <thread>

#include "load/load_thread.hpp"
#include "load/request.hpp"
#include "load/request_model.hpp"
#include "util/clock.hpp"
#include "util/cpu_list.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

// Descriptors beyond the connections: one epoll instance per thread, stdio, result files.
constexpr rlim_t k_spare_descriptors = 64;

void resolve_target(const Url& url, RunPlan& plan) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    std::string port = std::to_string(url.port);
    int rc = getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found);
    if (rc != 0 || found == nullptr) {
        throw UserError(fmt::format("cannot resolve host '{}': {}", url.host, gai_strerror(rc)),
                        fmt::format("in URL {}", url.text),
                        "check the host name, or use an address such as 127.0.0.1");
    }
    std::memcpy(&plan.address, found->ai_addr, found->ai_addrlen);
    plan.address_length = found->ai_addrlen;
    freeaddrinfo(found);
}

// Raises the soft descriptor limit to the hard one, and refuses to start when the connections
// would still not fit (every one of them would fail to connect, which measures nothing).
void raise_descriptor_limit(const LoadSettings& settings) {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    rlim_t needed = settings.connections + 2 * settings.threads + k_spare_descriptors;
    if (needed > limit.rlim_cur) {
        throw UserError(
            fmt::format("{} connections need about {} file descriptors, but the limit is {}",
                        settings.connections, needed, limit.rlim_cur),
            "-c",
            fmt::format("raise the hard limit (ulimit -Hn, now {}) or use fewer connections",
                        limit.rlim_max));
    }
}

void set_measurement_start(const LoadSettings& settings, RunPlan& plan) {
    const Warmup& warmup = settings.warmup;
    if (warmup.requests) {
        plan.warmup_tickets = static_cast<std::int64_t>(*warmup.requests);
        return;  // starts when the last warm-up request has been begun
    }
    std::uint64_t period = warmup.period ? static_cast<std::uint64_t>(warmup.period->count()) : 0;
    plan.measure_start_ns = plan.start_ns + period;
}

// Sums the threads' seconds and computes each second's percentiles from the merged buckets.
// A run stopped by its duration has exactly ceil(duration) seconds: the few responses handled in
// the same loop turn as the deadline are counted in the last second, not in a sliver of a new one.
void merge_timeline(const LoadSettings& settings, std::vector<ThreadResult>& threads,
                    LoadResult& result) {
    std::size_t seconds = static_cast<std::size_t>(std::ceil(result.duration_sec));
    for (const ThreadResult& t : threads)
        seconds = std::max(seconds, t.timeline.size());
    if (settings.stop_rule == StopRule::duration && !result.interrupted &&
        !result.exhausted_data_set) {
        double planned = std::chrono::duration<double>(settings.duration).count();
        seconds = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(planned - 1e-9)));
    }
    result.timeline.resize(seconds);
    LatencyHistogram second_latency(LatencyHistogram::k_default_highest_us, 2);
    for (std::size_t s = 0; s < seconds; ++s) {
        TimelineSecond& merged = result.timeline[s];
        second_latency.reset();
        bool last = s + 1 == seconds;
        for (const ThreadResult& t : threads) {
            for (std::size_t from = s; from < t.timeline.size() && (from == s || last); ++from) {
                const SecondSnapshot& snapshot = t.timeline[from];
                merged.completed += snapshot.completed;
                merged.failed += snapshot.failed;
                merged.bytes_read += snapshot.bytes_read;
                for (auto [value, count] : snapshot.latency_buckets) {
                    second_latency.record(value, count);
                }
            }
        }
        merged.p50_us = second_latency.value_at_percentile(50);
        merged.p99_us = second_latency.value_at_percentile(99);
        second_latency.for_each_bucket([&merged](std::uint64_t value, std::uint64_t count) {
            merged.latency_buckets.emplace_back(value, count);
        });
    }
}

// Holds the load threads until every one of them exists, then lets them run or sends them home.
class StartGate {
  public:
    // Blocks until open(); true when the threads are to run.
    bool wait_for_go() {
        std::unique_lock lock(m_mutex);
        m_opened.wait(lock, [this] { return m_open; });
        return m_go;
    }
    void open(bool go) {
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
            m_go = go;
        }
        m_opened.notify_all();
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_opened;
    bool m_open = false;
    bool m_go = false;
};

// A seed for a run that was given none: from the system's entropy, and recorded in the result so
// that the run can be repeated with --seed.
std::uint64_t draw_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

[[noreturn]] void throw_thread_error(std::size_t created, unsigned wanted,
                                     const std::system_error& error) {
    throw UserError(
        fmt::format("cannot create load thread {} of {}: {}", created + 1, wanted,
                    std::strerror(error.code().value())),
        "",
        "use fewer threads (-t, load.threads), or raise the limit on processes (ulimit -u, a "
        "container's pids.max)");
}

// The figures per named request, summed over the threads; the data sets and which ran out.
void merge_model_figures(const RunPlan& plan, std::vector<ThreadResult>& threads,
                         LoadResult& result) {
    const RequestModel* model = plan.settings.requests.get();
    if (model == nullptr)
        return;
    std::optional<std::uint32_t> exhausted;
    for (const ThreadResult& t : threads) {
        if (t.exhausted_set)
            exhausted = t.exhausted_set;
    }
    for (std::size_t set = 0; set < model->data.size(); ++set) {
        const ModelDataSet& data = model->data[set];
        result.data_sets.push_back(
            {data.name, pick_mode_name(data.pick), data.rows->row_count(), exhausted == set});
    }
    if (exhausted)
        result.exhausted_data_set = model->data[*exhausted].name;
    if (!model->named())
        return;
    for (std::size_t i = 0; i < model->requests.size(); ++i) {
        NamedRequestResult& named = result.by_name.emplace_back();
        named.name = model->requests[i].name;
        for (ThreadResult& t : threads) {
            const NamedCounts& counts = t.named[i];
            named.requests.add(counts.requests);
            named.errors.add(counts.errors);
            named.latency.merge(counts.latency);
            for (std::size_t code = 0; code < counts.status_codes.size(); ++code) {
                if (counts.status_codes[code] != 0)
                    named.status_codes[static_cast<int>(code)] += counts.status_codes[code];
            }
        }
    }
}

LoadResult merge_results(const RunPlan& plan, std::vector<ThreadResult>& threads) {
    LoadResult result;
    result.seed = plan.seed;
    std::vector<double> rate_samples;
    std::uint64_t stop_ns = plan.start_ns;
    if (plan.settings.rate_per_sec) {
        result.service_time.emplace();
        result.rate = RateAccounting{*plan.settings.rate_per_sec, 0, 0};
    }
    for (ThreadResult& t : threads) {
        result.requests.started += t.requests.started;
        result.requests.completed += t.requests.completed;
        result.requests.failed += t.requests.failed;
        result.requests.in_flight_at_stop += t.requests.in_flight_at_stop;
        result.errors.add(t.errors);
        for (std::size_t code = 0; code < t.status_codes.size(); ++code) {
            if (t.status_codes[code] != 0)
                result.status_codes[static_cast<int>(code)] += t.status_codes[code];
        }
        result.bytes_read += t.bytes_read;
        result.bytes_written += t.bytes_written;
        result.latency.merge(t.latency);
        if (result.service_time && t.service_time)
            result.service_time->merge(*t.service_time);
        if (result.rate) {
            result.rate->scheduled += t.scheduled;
            result.rate->unsent_at_stop += t.unsent_at_stop;
        }
        result.warmup_requests += t.warmup_requests;
        result.connections_opened += t.connections_opened;
        result.connect_time.merge(t.connect_time);
        result.unsolicited_responses += t.unsolicited_responses;
        rate_samples.insert(rate_samples.end(), t.requests_per_sec_samples.begin(),
                            t.requests_per_sec_samples.end());
        stop_ns = std::max(stop_ns, t.stop_ns);
    }
    std::uint64_t measure_start = plan.measure_start_ns.load();
    if (measure_start != RunPlan::k_not_yet && stop_ns > measure_start) {
        result.duration_sec = static_cast<double>(stop_ns - measure_start) / k_ns_per_sec;
    }
    result.thread_requests_per_sec = summarize_samples(rate_samples);
    result.interrupted = plan.stop.stop_requested();
    merge_model_figures(plan, threads, result);
    merge_timeline(plan.settings, threads, result);
    return result;
}

// CPU seconds (user + system) the calling thread has used so far.
double thread_cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Runs one load thread's loop and measures the CPU it used over its own wall time.
void run_measured(LoadThread& thread, ThreadUsage& usage) {
    const double cpu_before = thread_cpu_seconds();
    const std::uint64_t wall_before = monotonic_ns();
    thread.run();
    usage.cpu_seconds = thread_cpu_seconds() - cpu_before;
    usage.wall_seconds = static_cast<double>(monotonic_ns() - wall_before) / k_ns_per_sec;
}

}  // namespace

// load.cpus / --cpus must name CPUs this process may use: pinning to others fails in the kernel.
void check_load_cpus(const LoadSettings& settings) {
    const long unusable = first_unusable_cpu(settings.cpus);
    if (unusable < 0)
        return;
    throw UserError(fmt::format("CPU {} of the load's CPU list {} is not available to benchctl",
                                unusable, format_cpu_list(settings.cpus)),
                    "--cpus / load.cpus",
                    fmt::format("use CPUs of {} (this machine, or benchctl's taskset or cpuset)",
                                format_cpu_list(usable_cpus())));
}

LoadResult run_load(const LoadSettings& settings, const StopSignal& stop, LoadProgress* progress) {
    // A guard: settings built by to_load_settings were checked there, under the caller's names.
    validate_load_settings(settings, LoadSettingNames::flags());
    RunPlan plan(settings, stop);
    plan.progress = progress;
    resolve_target(settings.url, plan);
    raise_descriptor_limit(settings);
    check_load_cpus(settings);
    if (settings.requests) {
        plan.data_cursors = std::make_unique<DataCursors>(settings.requests->data.size());
    } else {
        plan.request = render_request(settings);
        plan.expect_body = !response_has_no_body(settings.method);
    }
    plan.seed = settings.seed ? *settings.seed : draw_seed();
    plan.request_tickets = static_cast<std::int64_t>(settings.total_requests);

    // Connections spread over the threads as evenly as they go; built before the clock starts.
    std::vector<std::unique_ptr<LoadThread>> workers;
    std::uint64_t first_connection = 0;
    for (unsigned i = 0; i < settings.threads; ++i) {
        unsigned share = settings.connections / settings.threads +
                         (i < settings.connections % settings.threads ? 1 : 0);
        workers.push_back(
            std::make_unique<LoadThread>(plan, i, settings.threads, share, first_connection));
        first_connection += share;
    }

    // Every thread is created before any runs, so that a thread the system refuses (a limit on
    // processes) ends the load before it began instead of leaving joinable threads behind.
    StartGate gate;
    std::vector<std::thread> threads;
    std::vector<ThreadUsage> usage(workers.size());
    for (auto& worker : workers) {
        try {
            ThreadUsage& own = usage[threads.size()];
            threads.emplace_back([&gate, &w = *worker, &own, &cpus = settings.cpus] {
                pin_current_thread(cpus);  // checked usable above
                if (gate.wait_for_go())
                    run_measured(w, own);
            });
        } catch (const std::system_error& error) {
            gate.open(false);
            for (std::thread& t : threads)
                t.join();
            throw_thread_error(threads.size(), settings.threads, error);
        }
    }
    std::string started_at = utc_timestamp_now();
    plan.start_ns = monotonic_ns();
    set_measurement_start(settings, plan);
    if (progress != nullptr)
        progress->measuring = !settings.warmup.enabled();
    gate.open(true);
    for (std::thread& t : threads)
        t.join();

    std::vector<ThreadResult> thread_results;
    for (auto& worker : workers)
        thread_results.push_back(worker->take_result());
    LoadResult result = merge_results(plan, thread_results);
    result.started_at = started_at;
    result.thread_usage = std::move(usage);
    return result;
}

}  // namespace benchctl
