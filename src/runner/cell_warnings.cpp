#include "runner/cell_warnings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>

#include "util/cpu_list.hpp"

namespace benchctl {

namespace {

// "12 connect, 3 timeout" for the error kinds that occurred.
std::string error_breakdown(const ErrorCounts& errors) {
    const std::pair<const char*, std::uint64_t> kinds[] = {{"connect", errors.connect},
                                                           {"read", errors.read},
                                                           {"write", errors.write},
                                                           {"timeout", errors.timeout},
                                                           {"parse", errors.parse}};
    std::vector<std::string> parts;
    for (const auto& [kind, count] : kinds) {
        if (count != 0)
            parts.push_back(fmt::format("{} {}", count, kind));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

// The seconds of the timeline that ran whole: a last second cut short by the end of the run
// (a duration of 2.5 s, the tail of a -n run) would look like a drop.
std::size_t whole_seconds(const LoadResult& result) {
    std::size_t seconds = result.timeline.size();
    if (seconds > 0 && result.duration_sec < static_cast<double>(seconds) - 0.01)
        --seconds;
    return seconds;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string seconds_text(double seconds) {
    return fmt::format("{:.1f} s", seconds);
}

}  // namespace

std::optional<CellWarning> no_requests_warning(const LoadResult& result) {
    if (result.requests.completed != 0)
        return std::nullopt;
    std::string failed = result.requests.failed == 0
                             ? ""
                             : fmt::format(", {} failed: {}", result.requests.failed,
                                           error_breakdown(result.errors));
    return CellWarning{
        "no_requests", WarningSeverity::suspect,
        fmt::format("no request completed in {} ({} started{}): the figures measure nothing; "
                    "check the target's log and load.url",
                    seconds_text(result.duration_sec), result.requests.started, failed)};
}

std::optional<CellWarning> ramp_warning(const LoadResult& result) {
    const std::size_t seconds = whole_seconds(result);
    if (seconds < k_ramp_min_seconds)
        return std::nullopt;
    // The steady rate: the median second of the run's second half, which a ramp has left.
    std::vector<double> late;
    for (std::size_t s = seconds / 2; s < seconds; ++s)
        late.push_back(static_cast<double>(result.timeline[s].completed));
    const double steady = median(late);
    const double first = static_cast<double>(result.timeline[0].completed);
    if (steady < k_ramp_min_rate || first >= k_ramp_ratio * steady)
        return std::nullopt;
    std::size_t slow = 0;
    double slow_total = 0;
    while (slow < seconds / 2 &&
           static_cast<double>(result.timeline[slow].completed) < k_ramp_ratio * steady) {
        slow_total += static_cast<double>(result.timeline[slow].completed);
        ++slow;
    }
    return CellWarning{
        "ramp", WarningSeverity::suspect,
        fmt::format("the first {} s completed {:.0f} requests/s against {:.0f} later: the target "
                    "was still warming up when the load began; add a settle step "
                    "(target.settle) or a warm-up (load.warmup)",
                    slow, slow_total / static_cast<double>(slow), steady)};
}

std::optional<CellWarning> client_saturated_warning(const LoadResult& result) {
    std::vector<std::string> busy;
    double highest = 0;
    for (std::size_t i = 0; i < result.thread_usage.size(); ++i) {
        const ThreadUsage& usage = result.thread_usage[i];
        if (usage.wall_seconds < k_client_busy_min_seconds ||
            usage.busy_fraction() <= k_client_busy_limit) {
            continue;
        }
        busy.push_back(fmt::format("{} ({:.0f}%)", i, usage.busy_fraction() * 100));
        highest = std::max(highest, usage.busy_fraction());
    }
    if (busy.empty())
        return std::nullopt;
    return CellWarning{
        "client_saturated", WarningSeverity::suspect,
        fmt::format("load thread{} {} {} busy more than {:.0f}% of the run: the figures may "
                    "measure benchctl rather than the server; use more load threads "
                    "(load.threads) or give the load cores of its own (load.cpus)",
                    busy.size() == 1 ? "" : "s", fmt::join(busy, ", "),
                    busy.size() == 1 ? "was" : "were", k_client_busy_limit * 100)};
}

std::optional<CellWarning> timeouts_warning(const LoadSettings& settings,
                                            const LoadResult& result) {
    const std::uint64_t started = result.requests.started;
    const std::uint64_t timeouts = result.errors.timeout;
    if (started == 0 ||
        static_cast<double>(timeouts) <= k_timeout_share_limit * static_cast<double>(started)) {
        return std::nullopt;
    }
    const double limit = std::chrono::duration<double>(settings.timeout).count();
    return CellWarning{
        "timeouts", WarningSeverity::suspect,
        fmt::format("{} of {} requests ({:.1f}%) timed out: no whole response within load.timeout "
                    "= {:g}s; if the server is meant to take longer, raise it (--set "
                    "load.timeout={:g}s, or load.timeout in the matrix)",
                    timeouts, started,
                    100.0 * static_cast<double>(timeouts) / static_cast<double>(started), limit,
                    std::max(10.0, std::ceil(limit * 5)))};
}

std::optional<CellWarning> unsolicited_responses_warning(const LoadResult& result) {
    if (result.unsolicited_responses == 0)
        return std::nullopt;
    return CellWarning{
        "unsolicited_responses", WarningSeverity::suspect,
        fmt::format("the server sent bytes no request was waiting for {} time{} (after a whole "
                    "response, or on an idle keep-alive connection): it and the client disagree "
                    "on which response answers which request, so statuses and latencies may "
                    "belong to other requests; check the server's framing (Content-Length, "
                    "chunked bodies) and what it sends on idle connections",
                    result.unsolicited_responses, result.unsolicited_responses == 1 ? "" : "s")};
}

std::optional<CellWarning> not_settled_warning(const std::optional<SettleRecord>& settle) {
    if (!settle || settle->settled)
        return std::nullopt;
    return CellWarning{
        "not_settled", WarningSeverity::suspect,
        fmt::format("the target still used {:.0f}% of a core after the settle timeout of {:g}s "
                    "(quiet means below {:g}%): it may still have been booting; raise "
                    "target.settle.timeout or check what it does when idle",
                    settle->cpu_percent, settle->timeout_seconds, settle->below_percent)};
}

std::optional<CellWarning> shared_cores_warning(const std::vector<unsigned>& target_cpus,
                                                const std::vector<unsigned>& load_cpus,
                                                std::size_t machine_cpus,
                                                const std::string& machine_host) {
    const auto note = [](std::string message) {
        return CellWarning{"shared_cores", WarningSeverity::note, std::move(message)};
    };
    if (machine_cpus == 0)
        return std::nullopt;  // on different machines: nothing is shared
    if (!target_cpus.empty() && !load_cpus.empty() && machine_host.empty()) {
        std::vector<unsigned> shared;
        std::set_intersection(target_cpus.begin(), target_cpus.end(), load_cpus.begin(),
                              load_cpus.end(), std::back_inserter(shared));
        if (shared.empty())
            return std::nullopt;
        return note(fmt::format(
            "load.cpus ({}) and target.cpus ({}) share CPU {}: the load "
            "client takes CPU time from the server it measures; give them "
            "disjoint CPUs",
            format_cpu_list(load_cpus), format_cpu_list(target_cpus), format_cpu_list(shared)));
    }
    if (machine_cpus > k_small_machine_cpus)
        return std::nullopt;
    if (!machine_host.empty()) {
        return note(
            fmt::format("the load client (an agent on host '{}') and the target both run "
                        "on that host's {} CPUs: each takes CPU time from the other, and "
                        "repetitions vary more; put the agent on another host",
                        machine_host, machine_cpus));
    }
    return note(
        fmt::format("the load client and the target share this machine's {} CPUs (no "
                    "load.cpus and target.cpus): each takes CPU time from the other, and "
                    "repetitions vary more; pin them apart (docs/trust.md)",
                    machine_cpus));
}

std::vector<CellWarning> assess_cell(const CellObservations& seen) {
    std::vector<CellWarning> warnings;
    for (std::optional<CellWarning> warning :
         {no_requests_warning(seen.result), ramp_warning(seen.result),
          client_saturated_warning(seen.result), timeouts_warning(seen.settings, seen.result),
          unsolicited_responses_warning(seen.result), not_settled_warning(seen.settle),
          shared_cores_warning(seen.target_cpus, seen.load_cpus, seen.machine_cpus,
                               seen.machine_host)}) {
        if (warning)
            warnings.push_back(std::move(*warning));
    }
    return warnings;
}

}  // namespace benchctl
