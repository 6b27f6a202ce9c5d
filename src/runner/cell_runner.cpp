#include "runner/cell_runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <future>
#include <optional>
#include <sstream>
#include <system_error>
#include <thread>

#include "launch/readiness.hpp"
#include "launch/resource_sampler.hpp"
#include "load/load_engine.hpp"
#include "results/load_document.hpp"
#include "runner/resolved_cell.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;

constexpr auto k_watch_interval = 50ms;
constexpr auto k_progress_interval = 500ms;
constexpr auto k_sample_interval = 100ms;
constexpr auto k_version_timeout = 10s;
constexpr unsigned k_log_tail_lines = 20;
constexpr unsigned k_version_lines = 5;

double seconds_between(std::uint64_t from_ns, std::uint64_t to_ns) {
    return static_cast<double>(to_ns - from_ns) / 1e9;
}

void mark_failed(CellRecord& record, CellStatus status, std::string reason,
                 const std::string& log_path) {
    record.status = status;
    record.failure_reason = std::move(reason);
    record.log_tail = log_tail(log_path, k_log_tail_lines);
}

// Drives the load on another thread while this one watches the target and the run: a target
// that exits, or an interrupt, stops the load early. Returns the load result and, when the
// target died, how.
struct LoadOutcome {
    LoadResult result;
    std::optional<ExitStatus> target_exit;
};

LoadOutcome drive_load(const CellContext& context, const LoadSettings& settings,
                       ProcessTree& tree) {
    StopSignal stop;
    LoadProgress progress;
    std::future<LoadResult> running;
    try {
        running =
            std::async(std::launch::async, [&] { return run_load(settings, stop, &progress); });
    } catch (const std::system_error& error) {
        throw UserError(fmt::format("cannot start the load's thread: {}", error.what()), "",
                        "raise the limit on processes (ulimit -u, a container's pids limit)");
    }
    LoadOutcome outcome;
    double planned = std::chrono::duration<double>(settings.duration).count();
    if (settings.stop_rule != StopRule::duration)
        planned = 0;
    auto begin = std::chrono::steady_clock::now();
    auto next_progress = begin + k_progress_interval;
    std::uint64_t last_completed = 0;
    while (running.wait_for(k_watch_interval) != std::future_status::ready) {
        if (!outcome.target_exit)
            outcome.target_exit = tree.poll_exit();
        if (outcome.target_exit || context.control.interrupted())
            stop.request_stop();
        auto now = std::chrono::steady_clock::now();
        if (now >= next_progress) {
            std::uint64_t completed = progress.completed.load();
            double rate = static_cast<double>(completed - last_completed) /
                          std::chrono::duration<double>(k_progress_interval).count();
            context.observer.on_cell_progress(std::chrono::duration<double>(now - begin).count(),
                                              planned, completed, rate, progress.failed.load());
            last_completed = completed;
            next_progress = now + k_progress_interval;
        }
    }
    outcome.result = running.get();
    if (!outcome.target_exit)
        outcome.target_exit = tree.poll_exit();
    return outcome;
}

// The part of a cell after its target started: readiness, warm-up, load, sampling.
void exercise_target(const CellContext& context, const Cell& cell, const ResolvedTarget& target,
                     const RuntimeValues& values, ProcessTree& tree, CellRecord& record) {
    std::uint64_t started_ns = monotonic_ns();
    ReadyOutcome ready = wait_until_ready(tree, target.ready, values.port, target.launch.log_path,
                                          context.control.cancel_flag());
    record.ready_seconds = seconds_between(started_ns, monotonic_ns());
    if (!ready.ready) {
        CellStatus status =
            context.control.interrupted() ? CellStatus::interrupted : CellStatus::failed;
        mark_failed(record, status, ready.reason, target.launch.log_path);
        return;
    }
    std::uint64_t ready_ns = monotonic_ns();
    context.control.sleep_unless_interrupted(target.warmup);
    record.warmup_seconds = seconds_between(ready_ns, monotonic_ns());
    if (context.control.interrupted()) {
        mark_failed(record, CellStatus::interrupted, "interrupted before the load",
                    target.launch.log_path);
        return;
    }
    LoadSettings settings = resolve_load(context.matrix, cell, values);
    ResourceSampler sampler(tree, k_sample_interval);
    sampler.start();
    ServiceSampling services = context.services.start_sampling();
    LoadOutcome outcome = drive_load(context, settings, tree);
    record.resources = sampler.finish();
    record.services = services.finish();
    record.load = to_load_document(settings, outcome.result);
    if (outcome.target_exit) {
        mark_failed(record, CellStatus::failed,
                    fmt::format("the target {} during the load", outcome.target_exit->to_string()),
                    target.launch.log_path);
    } else if (outcome.result.interrupted) {
        mark_failed(record, CellStatus::interrupted, "interrupted during the load",
                    target.launch.log_path);
    }
}

}  // namespace

CellRecord run_cell(const CellContext& context, const Cell& cell, unsigned repetition) {
    CellRecord record;
    record.cell_id = cell.id;
    record.repetition = repetition;
    record.parameters = cell.values;
    record.started_at = utc_timestamp_now();
    record.log_file = context.directory.log_file(cell.id);
    std::string log_path = context.directory.log_path(cell.id);
    RuntimeValues values{find_free_port(), context.directory.path(), cell.id,
                         context.services.variables()};
    record.port = values.port;
    try {
        ResolvedTarget target = resolve_target(context.matrix, cell.target, values, log_path,
                                               "target of cell " + cell.id);
        record.command = target.launch.shell
                             ? std::vector<std::string>{"/bin/sh", "-c", *target.launch.shell}
                             : target.launch.argv;
        ProcessTree tree = ProcessTree::start(target.launch);
        record.process_tracking = process_tracking_name(tree.tracking());
        try {
            exercise_target(context, cell, target, values, tree, record);
        } catch (const UserError& error) {
            mark_failed(record, CellStatus::failed, error.message(), log_path);
        }
        auto grace = context.control.hurry() ? std::chrono::nanoseconds{0} : target.stop_grace;
        StopReport stopped = tree.stop(target.stop_signal, grace, &context.control.hurry_flag());
        record.stopped_gracefully = stopped.graceful;
        record.killed_processes = stopped.killed;
    } catch (const UserError& error) {
        mark_failed(record, CellStatus::failed, error.message(), log_path);
    }
    record.ended_at = utc_timestamp_now();
    return record;
}

namespace {

// "gunicorn 20.1.0" and "Django 4.1" on two lines become "gunicorn 20.1.0; Django 4.1".
std::string joined_lines(const std::string& text) {
    std::string joined;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty())
            continue;
        joined += (joined.empty() ? "" : "; ") + line;
    }
    return joined;
}

}  // namespace

VersionProbe probe_version(const Matrix& matrix, const Cell& cell, const RunDirectory& directory) {
    VersionProbe probe;
    if (cell.target.version_command.empty())
        return probe;
    RuntimeValues values{0, directory.path(), cell.id, {}};
    std::string log_path = directory.path() + "/logs/" + cell.id + ".version.log";
    std::string command = fmt::format("{}", fmt::join(cell.target.version_command, " "));
    try {
        ResolvedTarget target = resolve_target(matrix, cell.target, values, log_path, "version");
        LaunchSpec spec = target.launch;
        spec.argv = target.version_command;
        spec.shell.reset();
        ProcessTree tree = ProcessTree::start(spec);
        auto until = std::chrono::steady_clock::now() + k_version_timeout;
        while (!tree.poll_exit() && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(k_watch_interval);
        }
        bool finished = tree.poll_exit().has_value();
        // Whatever it left running (a hung command, a daemon it started) ends here.
        tree.stop(SIGKILL, std::chrono::nanoseconds{0});
        probe.version = joined_lines(log_tail(log_path, k_version_lines));
        if (!finished) {
            std::string note = fmt::format("the version command did not finish within {}s",
                                           k_version_timeout.count());
            probe.version = probe.version.empty() ? "unknown (" + note + ")"
                                                  : probe.version + " (" + note + ")";
            probe.warning = fmt::format(
                "warning: cell {}: `{}` did not finish within {}s; it was killed, and the "
                "manifest's tool_versions says so",
                cell.id, command, k_version_timeout.count());
        }
    } catch (const UserError& error) {
        probe.warning = fmt::format("warning: cell {}: the version command `{}` failed: {}",
                                    cell.id, command, error.message());
    }
    return probe;
}

}  // namespace benchctl
