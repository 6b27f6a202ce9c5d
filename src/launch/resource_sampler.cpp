#include "launch/resource_sampler.hpp"

#include <fmt/format.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "launch/proc_table.hpp"
#include "util/error.hpp"

namespace benchctl {

struct ResourceSampler::State {
    // CPU ticks of one process (pid, start_ticks) over the sampling.
    struct CpuTrack {
        std::uint64_t baseline = 0;  // ticks before the sampling began (0 if it started during it)
        std::uint64_t last = 0;      // ticks at its last sample
    };

    const ProcessTree& tree;
    std::chrono::milliseconds interval;
    std::thread thread;
    std::mutex mutex;
    std::condition_variable wake;
    bool stop_requested = false;

    // Written by the sampling thread only, read after it joined.
    std::map<std::pair<pid_t, std::uint64_t>, CpuTrack> cpu;
    std::uint64_t start_boot_ticks = 0;
    std::chrono::steady_clock::time_point started;
    std::optional<std::chrono::steady_clock::time_point> ended;  // set by the first finish()
    std::uint64_t peak_rss = 0;
    std::uint64_t samples = 0;
    // The tree's cgroup CPU time at the first and the last sample, when it has a cgroup.
    std::optional<std::chrono::microseconds> group_cpu_first;
    std::optional<std::chrono::microseconds> group_cpu_last;

    State(const ProcessTree& t, std::chrono::milliseconds i) : tree(t), interval(i) {}

    void sample();
    void run();
    ResourceUsage usage() const;
};

void ResourceSampler::State::sample() {
    std::uint64_t rss = 0;
    for (pid_t pid : tree.members()) {
        auto entry = read_proc_entry(pid);
        if (!entry || entry->is_zombie())
            continue;
        auto [it, inserted] = cpu.try_emplace({pid, entry->start_ticks});
        // A process already running when sampling began counts only what it uses from now on.
        if (inserted && entry->start_ticks <= start_boot_ticks) {
            it->second.baseline = entry->cpu_ticks;
        }
        it->second.last = entry->cpu_ticks;
        rss += read_rss_bytes(pid).value_or(0);
    }
    peak_rss = std::max(peak_rss, rss);
    if (auto group_cpu = tree.cpu_time()) {
        if (!group_cpu_first)
            group_cpu_first = group_cpu;
        group_cpu_last = group_cpu;
    }
    ++samples;
}

void ResourceSampler::State::run() {
    std::unique_lock lock(mutex);
    for (;;) {
        lock.unlock();
        sample();
        lock.lock();
        if (stop_requested)
            return;
        wake.wait_for(lock, interval, [this] { return stop_requested; });
    }
}

ResourceUsage ResourceSampler::State::usage() const {
    ResourceUsage usage;
    if (!ended)
        return usage;
    std::uint64_t ticks = 0;
    for (const auto& [process, track] : cpu) {
        ticks += track.last - std::min(track.last, track.baseline);
    }
    usage.cpu_seconds = static_cast<double>(ticks) / static_cast<double>(clock_ticks_per_second());
    // The cgroup counts every process that ran, even one that started and ended between samples.
    if (group_cpu_first && group_cpu_last) {
        usage.cpu_seconds =
            std::chrono::duration<double>(*group_cpu_last - *group_cpu_first).count();
    }
    usage.wall_seconds = std::chrono::duration<double>(*ended - started).count();
    if (usage.wall_seconds > 0) {
        usage.average_cpu_percent = usage.cpu_seconds / usage.wall_seconds * 100;
    }
    usage.peak_rss_bytes = peak_rss;
    usage.samples = samples;
    return usage;
}

std::chrono::microseconds tree_cpu_time(const ProcessTree& tree) {
    if (std::optional<std::chrono::microseconds> group = tree.cpu_time())
        return *group;
    std::uint64_t ticks = 0;
    for (pid_t pid : tree.members()) {
        if (auto entry = read_proc_entry(pid))
            ticks += entry->cpu_ticks;
    }
    return std::chrono::microseconds(static_cast<std::int64_t>(
        ticks * 1'000'000 / static_cast<std::uint64_t>(clock_ticks_per_second())));
}

ResourceSampler::ResourceSampler(const ProcessTree& tree, std::chrono::milliseconds interval)
    : m_state(std::make_unique<State>(tree, interval)) {}

ResourceSampler::~ResourceSampler() {
    finish();
}

void ResourceSampler::start() {
    if (m_state->thread.joinable() || m_state->ended)
        return;
    m_state->start_boot_ticks = boot_clock_ticks();
    m_state->started = std::chrono::steady_clock::now();
    try {
        m_state->thread = std::thread([state = m_state.get()] { state->run(); });
    } catch (const std::system_error& error) {
        throw UserError(fmt::format("cannot start the resource sampler's thread: {}", error.what()),
                        "", "raise the limit on processes (ulimit -u, a container's pids limit)");
    }
}

ResourceUsage ResourceSampler::finish() {
    if (m_state->thread.joinable()) {
        {
            std::lock_guard lock(m_state->mutex);
            m_state->stop_requested = true;
        }
        m_state->wake.notify_all();
        m_state->thread.join();
        // The loop took one last sample when it saw the request.
        m_state->ended = std::chrono::steady_clock::now();
    }
    return m_state->usage();
}

}  // namespace benchctl
