#include "runner/cell_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <system_error>

#include "load/request.hpp"
#include "results/load_document.hpp"
#include "runner/cell_checks.hpp"
#include "runner/cell_companions.hpp"
#include "runner/cell_verify.hpp"
#include "runner/cell_warnings.hpp"
#include "runner/host_pool.hpp"
#include "runner/resolved_cell.hpp"
#include "runner/step_runner.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;

constexpr auto k_watch_interval = 50ms;
constexpr auto k_progress_interval = 500ms;
constexpr auto k_version_timeout = 10s;
constexpr unsigned k_log_tail_lines = 20;
constexpr unsigned k_version_lines = 5;

double seconds_between(Clock::TimePoint from, Clock::TimePoint to) {
    return std::chrono::duration<double>(to - from).count();
}

// One cell being run: what its steps share.
struct CellRun {
    const CellContext& context;
    const Cell& cell;
    CellRecord& record;
    std::string log_path;
    CompanionGroup* companions = nullptr;  // the target's companions; nullptr: none

    Clock& clock() const { return context.env.clock; }
    bool interrupted() const { return context.control.interrupted(); }
    void fail(CellStatus status, std::string reason) {
        record.status = status;
        record.failure_reason = std::move(reason);
        record.log_tail = context.env.launcher.log_tail(log_path, k_log_tail_lines);
    }
};

// Drives the load on another thread while this one watches the target and the run: a target
// that exits, or an interrupt, stops the load early. Returns the load result and, when the
// target died, how.
struct LoadOutcome {
    LoadResult result;
    std::optional<ExitStatus> target_exit;
    std::optional<nlohmann::json> agents;  // load.agents: each agent's part (agents_document)
    std::string companion_exit;  // "companion 'proxy' exited with code 1"; "" while they run
};

// The cell's load: here (env.load), or split over its load.agents (env.hosts) and merged, with
// each agent's part kept in `agents`.
LoadResult run_cell_load(const CellRun& run, const LoadSettings& settings, const StopSignal& stop,
                         LoadProgress& progress, std::optional<nlohmann::json>& agents) {
    if (run.cell.agents.empty())
        return run.context.env.load.run(settings, stop, &progress);
    DistributedLoadResult split =
        run_load_on_agents(run.context.env.hosts, run.cell.agents, settings, stop, &progress);
    agents = agents_document(split);
    return std::move(split.merged);
}

void report_progress(const CellRun& run, const LoadSettings& settings, const LoadProgress& progress,
                     Clock::TimePoint begin, std::uint64_t& last_completed) {
    double planned = std::chrono::duration<double>(settings.duration).count();
    if (settings.stop_rule != StopRule::duration)
        planned = 0;
    const std::uint64_t completed = progress.completed.load();
    const double rate = static_cast<double>(completed - last_completed) /
                        std::chrono::duration<double>(k_progress_interval).count();
    run.context.observer.on_cell_progress(seconds_between(begin, run.clock().now()), planned,
                                          completed, rate, progress.failed.load());
    last_completed = completed;
}

// What the warnings judge. CPU lists are compared only when the client and the target share this
// machine (the same numbers on two machines are different CPUs; cpus is refused on an ssh host).
CellObservations observations(const CellRun& run, const LoadSettings& settings,
                              const LoadResult& result) {
    const SharedMachine shared = shared_machine(run.context.env.hosts, run.cell,
                                                run.context.env.launcher.usable_cpu_count());
    CellObservations seen{settings, result, run.record.settle, {}, {}, shared.cpus, shared.host};
    if (shared.cpus != 0 && shared.host.empty()) {
        seen.target_cpus = run.record.target_cpus;
        seen.load_cpus = settings.cpus;
    }
    return seen;
}

LoadOutcome drive_load(const CellRun& run, const LoadSettings& settings, RunningTarget& target) {
    StopSignal stop;
    LoadProgress progress;
    LoadOutcome outcome;
    std::future<LoadResult> running;
    try {
        running = std::async(std::launch::async, [&] {
            return run_cell_load(run, settings, stop, progress, outcome.agents);
        });
    } catch (const std::system_error& error) {
        throw UserError(fmt::format("cannot start the load's thread: {}", error.what()), "",
                        "raise the limit on processes (ulimit -u, a container's pids limit)");
    }
    const Clock::TimePoint begin = run.clock().now();
    Clock::TimePoint next_progress = begin + k_progress_interval;
    std::uint64_t last_completed = 0;
    while (running.wait_for(k_watch_interval) != std::future_status::ready) {
        if (!outcome.target_exit)
            outcome.target_exit = target.poll_exit();
        if (run.companions != nullptr && outcome.companion_exit.empty())
            outcome.companion_exit = run.companions->exited();
        if (outcome.target_exit || !outcome.companion_exit.empty() || run.interrupted())
            stop.request_stop();
        if (run.clock().now() >= next_progress) {
            report_progress(run, settings, progress, begin, last_completed);
            next_progress = run.clock().now() + k_progress_interval;
        }
    }
    outcome.result = running.get();
    if (!outcome.target_exit)
        outcome.target_exit = target.poll_exit();
    if (run.companions != nullptr && outcome.companion_exit.empty())
        outcome.companion_exit = run.companions->exited();
    return outcome;
}

// Readiness; false when the cell ended here.
bool await_ready(CellRun& run, RunningTarget& target, const ResolvedTarget& resolved,
                 std::uint16_t port) {
    const Clock::TimePoint started = run.clock().now();
    ReadyOutcome ready =
        target.wait_until_ready(resolved.ready, port, run.context.control.cancel_flag());
    // A target on an ssh host became ready before this call (its agent waits as it launches):
    // the outcome says how long.
    run.record.ready_seconds = std::max(seconds_between(started, run.clock().now()),
                                        std::chrono::duration<double>(ready.waited).count());
    if (!ready.ready) {
        run.fail(run.interrupted() ? CellStatus::interrupted : CellStatus::failed, ready.reason);
        return false;
    }
    return true;
}

// The settle step: windows of spec.window until one shows the tree below the threshold, or the
// timeout passes (the cell is then measured anyway; not_settled_warning flags it). False when
// the cell ended here (the target exited, or an interrupt).
bool await_settled(CellRun& run, RunningTarget& target, const SettleSpec& spec) {
    SettleRecord& seen = run.record.settle.emplace();
    seen.below_percent = spec.cpu_below_percent;
    seen.window_seconds = std::chrono::duration<double>(spec.window).count();
    seen.timeout_seconds = std::chrono::duration<double>(spec.timeout).count();
    const Clock::TimePoint begin = run.clock().now();
    const Clock::TimePoint deadline = begin + spec.timeout;
    for (;;) {
        const Clock::TimePoint window_start = run.clock().now();
        const std::chrono::microseconds cpu_start = target.cpu_time();
        const Clock::TimePoint window_end = std::min(window_start + spec.window, deadline);
        run.context.control.sleep_unless_interrupted(run.clock(), window_end - window_start);
        if (run.interrupted()) {
            run.fail(CellStatus::interrupted, "interrupted while the target settled");
            return false;
        }
        if (std::optional<ExitStatus> exit = target.poll_exit()) {
            run.fail(CellStatus::failed,
                     fmt::format("the target {} while settling", exit->to_string()));
            return false;
        }
        const Clock::TimePoint now = run.clock().now();
        const double wall = seconds_between(window_start, now);
        const double cpu = std::chrono::duration<double>(target.cpu_time() - cpu_start).count();
        seen.cpu_percent = wall > 0 ? std::max(0.0, cpu) / wall * 100 : 0;
        seen.seconds = seconds_between(begin, now);
        if (seen.cpu_percent < spec.cpu_below_percent) {
            seen.settled = true;
            return true;
        }
        if (now >= deadline)
            return true;
    }
}

// The target's own warm-up wait (target.warmup); false when interrupted.
bool await_warmup(CellRun& run, const ResolvedTarget& resolved) {
    const Clock::TimePoint begin = run.clock().now();
    run.context.control.sleep_unless_interrupted(run.clock(), resolved.warmup);
    run.record.warmup_seconds = seconds_between(begin, run.clock().now());
    if (run.interrupted()) {
        run.fail(CellStatus::interrupted, "interrupted before the load");
        return false;
    }
    return true;
}

// The load, with the target sampled, then what it means (warnings) and how it ended.
void measure(CellRun& run, RunningTarget& target, const LoadSettings& settings) {
    target.start_sampling();
    if (run.companions != nullptr)
        run.companions->start_sampling();
    ServiceSampling services = run.context.services.start_sampling();
    LoadOutcome outcome = drive_load(run, settings, target);
    run.record.resources = target.finish_sampling();
    if (run.companions != nullptr)
        run.record.companions = run.companions->finish_sampling();
    run.record.services = services.finish();
    run.record.load = to_load_document(settings, outcome.result);
    run.record.agents = std::move(outcome.agents);
    run.record.load_cpus = settings.cpus;
    run.record.client_threads = outcome.result.thread_usage;
    run.record.warnings = assess_cell(observations(run, settings, outcome.result));
    if (outcome.target_exit) {
        run.fail(CellStatus::failed,
                 fmt::format("the target {} during the load", outcome.target_exit->to_string()));
    } else if (!outcome.companion_exit.empty()) {
        run.fail(CellStatus::failed, outcome.companion_exit + " during the load");
    } else if (outcome.result.interrupted) {
        run.fail(CellStatus::interrupted, "interrupted during the load");
    }
}

StepContext step_context(const CellRun& run) {
    return {run.context.matrix, run.context.directory, run.context.env, run.context.control};
}

std::string cell_step_log(const CellRun& run, const char* section, const std::string& name) {
    return step_log(section, name, run.cell.id, run.record.repetition, run.context.matrix.repeat);
}

// The matrix's before steps, in order; false when one failed (the cell fails before its load)
// or the run was interrupted.
bool run_before(CellRun& run, const RuntimeValues& values) {
    for (const StepSpec& step : run.context.matrix.before) {
        const StepRecord done =
            run_step(step_context(run), step, values, cell_step_log(run, "before", step.name));
        if (done.status == "interrupted" || run.interrupted()) {
            run.fail(CellStatus::interrupted, "interrupted during the before steps");
            return false;
        }
        if (done.status != "ok") {
            run.fail(CellStatus::failed,
                     fmt::format("before step '{}' failed: {}", step.name, done.failure));
            if (!done.output.empty())
                run.record.log_tail = done.output;
            return false;
        }
    }
    return true;
}

// The after checks, judged with the cell's figures; a failed one fails the cell, keeping its
// measurements, with expected and actual in the reason and a failed_check warning.
void run_after(CellRun& run, const RuntimeValues& values) {
    if (run.context.matrix.after.empty() || !run.record.load)
        return;
    RuntimeValues with_figures = values;
    with_figures.service_variables.merge(cell_figures(*run.record.load));
    for (const StepSpec& step : run.context.matrix.after) {
        std::string output;
        const StepRecord done = run_step(step_context(run), step, with_figures,
                                         cell_step_log(run, "after", step.name), &output);
        if (done.status == "interrupted" || run.interrupted()) {
            run.fail(CellStatus::interrupted, "interrupted during the after checks");
            return;
        }
        run.record.checks.push_back(judge_check(step, done, output, with_figures));
    }
    std::vector<std::string> failed;
    for (const CheckRecord& check : run.record.checks) {
        if (check.passed)
            continue;
        const std::string what = fmt::format("check '{}' failed: expected {}, got {}", check.name,
                                             quoted(check.expected), quoted(check.actual));
        run.record.warnings.push_back({"failed_check", WarningSeverity::suspect,
                                       what + "; the cell's figures are kept, but what it did "
                                              "was not what the check expects"});
        failed.push_back(what);
    }
    if (!failed.empty() && run.record.status == CellStatus::done)
        run.fail(CellStatus::failed, fmt::format("{}", fmt::join(failed, "; ")));
}

// TFB's verify mode (matrix `verify:`): the cell's request, sent as the load will send it, must
// answer as required; false when the cell ended here. The verify requests are not measured.
bool verify_cell(CellRun& run, const LoadSettings& settings) {
    const std::optional<VerifySpec>& spec = run.context.matrix.verify;
    if (!spec)
        return true;
    constexpr std::chrono::seconds k_least_timeout{5};
    const std::optional<std::string> failed =
        verify_load(*spec, run.context.env.http, settings,
                    std::max<std::chrono::nanoseconds>(settings.timeout, k_least_timeout),
                    run.context.control.cancel_flag());
    if (run.interrupted()) {
        run.fail(CellStatus::interrupted, "interrupted while verifying the cell's request");
        return false;
    }
    if (failed) {
        run.fail(CellStatus::failed, *failed);
        return false;
    }
    return true;
}

// Ready, settled, warmed up; false when the cell ended here.
bool prepare_target(CellRun& run, RunningTarget& target, const ResolvedTarget& resolved,
                    std::uint16_t port) {
    if (!await_ready(run, target, resolved, port))
        return false;
    if (resolved.settle && !await_settled(run, target, *resolved.settle))
        return false;
    return await_warmup(run, resolved);
}

// The cell's own part on a target that is ready: before steps, verify, the load, the checks.
void load_target(CellRun& run, RunningTarget& target, const RuntimeValues& values) {
    if (!run_before(run, values))
        return;
    const LoadSettings settings = resolve_load(run.context.matrix, run.cell, values);
    if (!verify_cell(run, settings))
        return;
    measure(run, target, settings);
    if (run.record.status == CellStatus::done)
        run_after(run, values);
}

// The target's companions, started in order once the target is ready, each ready on the
// cell's port, their files under values.cell_id ("shared" for a shared target's); false when
// the cell ended here (the ones started are stopped with the target).
bool start_companions(CellRun& run, const RuntimeValues& values) {
    for (const CompanionSpec& spec : run.cell.target.companions) {
        const CompanionSite site =
            companion_site(run.context.directory.path(), values.cell_id, spec.name);
        std::string log_tail;
        const std::string failed =
            run.companions->start(resolve_companion(run.context.matrix, spec, values, site),
                                  values.port, run.context.control.cancel_flag(), log_tail);
        if (failed.empty())
            continue;
        run.fail(run.interrupted() ? CellStatus::interrupted : CellStatus::failed, failed);
        run.record.log_tail = log_tail;
        return false;
    }
    return true;
}

// Brings a started target to where a load may begin, step by step; each may end the cell
// (false). With companions (run.companions), the target is ready on ${app_port}, then they
// start in front of it, then it settles and warms up.
bool bring_up(CellRun& run, RunningTarget& target, const ResolvedTarget& resolved,
              const RuntimeValues& values) {
    if (run.companions == nullptr)
        return prepare_target(run, target, resolved, values.port);
    if (!await_ready(run, target, resolved, *values.app_port) || !start_companions(run, values))
        return false;
    if (resolved.settle && !await_settled(run, target, *resolved.settle))
        return false;
    return await_warmup(run, resolved);
}

// The part of a cell after its own target started: up, then loaded.
void exercise_target(CellRun& run, RunningTarget& target, const ResolvedTarget& resolved,
                     const RuntimeValues& values) {
    if (bring_up(run, target, resolved, values))
        load_target(run, target, values);
}

void describe_target(CellRecord& record, const ResolvedTarget& target, const RunningTarget* tree) {
    record.command = target.launch.shell
                         ? std::vector<std::string>{"/bin/sh", "-c", *target.launch.shell}
                         : target.launch.argv;
    record.target_cpus = target.launch.cpus;
    if (tree != nullptr)
        record.process_tracking = tree->tracking();
}

// A free port other than `taken` (the target's ${app_port} beside the cell's ${port}).
std::uint16_t distinct_port(TargetLauncher& launcher, std::uint16_t taken) {
    constexpr int k_tries = 8;
    for (int tried = 0; tried < k_tries; ++tried) {
        if (const std::uint16_t port = launcher.free_port(); port != taken)
            return port;
    }
    throw UserError("no second free port for the target's companions", "",
                    "free some ports on 127.0.0.1 (ss -tln), then run again");
}

// Whether the shared target or one of its companions has exited.
bool exited(SharedInstance& instance) {
    return instance.tree->poll_exit().has_value() ||
           (instance.companions && !instance.companions->exited().empty());
}

// The shared instance for the cell, started (ready, settled, warmed up) when none of it runs;
// nullptr when the cell ended here (it is then stopped again).
SharedInstance* shared_instance(CellRun& run) {
    const CellContext& context = run.context;
    SharedTarget& shared = *context.shared;
    const std::string key = shared_target_key(run.cell.target);
    if (SharedInstance* running = shared.current()) {
        if (running->key == key && !exited(*running))
            return running;
        if (running->key == key)
            context.observer.on_note("the shared target exited since the last cell; restarting it");
        shared.stop();
    }
    // On an ssh host it starts through that host's agent, as a cell's own target does.
    HostPool* const remote = remote_pool(context.env.hosts, run.cell);
    SharedInstance fresh;
    fresh.key = key;
    fresh.port =
        remote ? remote->free_port(run.cell.target.host) : context.env.launcher.free_port();
    if (!run.cell.target.companions.empty()) {
        fresh.companions = std::make_unique<CompanionGroup>(context.env.launcher, context.env.disk);
        fresh.app_port = distinct_port(context.env.launcher, fresh.port);
    }
    fresh.log_path = context.directory.path() + "/logs/shared-target.log";
    const RuntimeValues values{fresh.port,
                               context.directory.path(),
                               "shared",
                               context.variables,
                               target_address(context.matrix, run.cell.target.host),
                               fresh.app_port};
    const std::string where = "shared target (cell " + run.cell.id + ")";
    fresh.resolved = resolve_target(context.matrix, run.cell.target, values, fresh.log_path, where);
    fresh.tree = remote ? start_on_host(*remote, run.cell, "shared", 0, fresh.resolved.launch,
                                        values, where, fresh.resolved.ready)
                        : context.env.launcher.start(fresh.resolved.launch);
    SharedInstance& started = shared.keep(std::move(fresh));
    run.companions = started.companions.get();
    if (!bring_up(run, *started.tree, started.resolved, values)) {
        run.companions = nullptr;
        shared.stop();
        return nullptr;
    }
    return &started;
}

// A cell on the shared target: no start or stop of its own unless it needs one; a target that
// died under it is stopped, for the next cell to start afresh.
void run_shared_cell(CellRun& run) {
    run.record.shared_target = true;
    run.log_path = run.context.directory.path() + "/logs/shared-target.log";
    run.record.log_file = "logs/shared-target.log";
    SharedInstance* instance = shared_instance(run);
    if (instance == nullptr)
        return;
    describe_target(run.record, instance->resolved, instance->tree.get());
    run.record.port = instance->port;
    run.record.app_port = instance->app_port.value_or(0);
    run.companions = instance->companions.get();
    const RuntimeValues values{instance->port,
                               run.context.directory.path(),
                               run.cell.id,
                               run.context.variables,
                               target_address(run.context.matrix, run.cell.target.host),
                               instance->app_port};
    ++instance->cells;
    load_target(run, *instance->tree, values);
    if (exited(*instance)) {
        run.companions = nullptr;
        run.context.shared->stop();
    }
}

void stop_target(CellRun& run, RunningTarget& target, const ResolvedTarget& resolved) {
    const RunControl& control = run.context.control;
    const auto grace = control.hurry() ? std::chrono::nanoseconds{0} : resolved.stop_grace;
    const StopReport stopped = target.stop(resolved.stop_signal, grace, &control.hurry_flag());
    run.record.stopped_gracefully = stopped.graceful && run.record.killed_processes == 0;
    run.record.killed_processes += stopped.killed;
}

CellRecord new_record(const CellContext& context, const Cell& cell, unsigned repetition) {
    CellRecord record;
    record.cell_id = cell.id;
    record.repetition = repetition;
    record.parameters = cell.values;
    record.started_at = context.env.clock.utc_timestamp();
    record.log_file = context.directory.log_file(cell.id);
    return record;
}

}  // namespace

CellRecord run_cell(const CellContext& context, const Cell& cell, unsigned repetition) {
    CellRecord record = new_record(context, cell, repetition);
    CellRun run{context, cell, record, context.directory.log_path(cell.id)};
    if (cell.target.shared && context.shared != nullptr) {
        try {
            run_shared_cell(run);
        } catch (const UserError& error) {
            run.fail(CellStatus::failed, error.message());
            context.shared->stop();
        }
        record.ended_at = context.env.clock.utc_timestamp();
        return record;
    }
    // A target on an ssh host starts through its agent, with a port free there.
    HostPool* const remote = remote_pool(context.env.hosts, cell);
    std::optional<CompanionGroup> companions;
    try {
        RuntimeValues values{
            remote ? remote->free_port(cell.target.host) : context.env.launcher.free_port(),
            context.directory.path(), cell.id, context.variables,
            target_address(context.matrix, cell.target.host)};
        record.port = values.port;
        if (!cell.target.companions.empty()) {
            companions.emplace(context.env.launcher, context.env.disk);
            run.companions = &*companions;
            values.app_port = distinct_port(context.env.launcher, values.port);
            record.app_port = *values.app_port;
        }
        const std::string where = "target of cell " + cell.id;
        const ResolvedTarget target =
            resolve_target(context.matrix, cell.target, values, run.log_path, where);
        describe_target(record, target, nullptr);
        std::unique_ptr<RunningTarget> tree =
            remote ? start_on_host(*remote, cell, "target", repetition, target.launch, values,
                                   where, target.ready)
                   : context.env.launcher.start(target.launch);
        record.process_tracking = tree->tracking();
        try {
            exercise_target(run, *tree, target, values);
        } catch (const UserError& error) {
            run.fail(CellStatus::failed, error.message());
        }
        // The proxy in front goes first: no request reaches a target that is stopping.
        if (companions) {
            const RunControl& control = context.control;
            record.killed_processes += companions->stop(control.hurry(), &control.hurry_flag());
        }
        stop_target(run, *tree, target);
    } catch (const UserError& error) {
        run.fail(CellStatus::failed, error.message());
    }
    record.ended_at = context.env.clock.utc_timestamp();
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

// Polls until the tree's root exits or `timeout` passes; whether it exited.
bool wait_for_exit(RunningTarget& tree, Clock& clock, std::chrono::nanoseconds timeout) {
    const Clock::TimePoint until = clock.now() + timeout;
    while (!tree.poll_exit()) {
        if (clock.now() >= until)
            return false;
        clock.sleep_until(std::min(until, clock.now() + k_watch_interval));
    }
    return true;
}

}  // namespace

VersionProbe probe_version(const CellContext& context, const Cell& cell) {
    VersionProbe probe;
    if (cell.target.version_command.empty())
        return probe;
    // A version command runs where the target does: through its agent for one on an ssh host.
    HostPool* const remote = remote_pool(context.env.hosts, cell);
    // The target's strings are resolved whole: the services' variables and the captures, and a
    // placeholder ${app_port} beside the placeholder ${port}, keep one that uses them resolvable.
    RuntimeValues values{0, context.directory.path(), cell.id, context.variables,
                         target_address(context.matrix, cell.target.host)};
    if (!cell.target.companions.empty())
        values.app_port = 0;
    const std::string log_path = context.directory.path() + "/logs/" + cell.id + ".version.log";
    const std::string command = fmt::format("{}", fmt::join(cell.target.version_command, " "));
    try {
        const ResolvedTarget target =
            resolve_target(context.matrix, cell.target, values, log_path, "version");
        LaunchSpec spec = target.launch;
        spec.argv = target.version_command;
        spec.shell.reset();
        std::unique_ptr<RunningTarget> tree =
            remote
                ? start_on_host(*remote, cell, "version", 0, spec, values, "version", std::nullopt)
                : context.env.launcher.start(spec);
        const bool finished = wait_for_exit(*tree, context.env.clock, k_version_timeout);
        // Whatever it left running (a hung command, a daemon it started) ends here.
        tree->stop(SIGKILL, std::chrono::nanoseconds{0}, nullptr);
        probe.version = joined_lines(context.env.launcher.log_tail(log_path, k_version_lines));
        if (!finished) {
            const std::string note = fmt::format("the version command did not finish within {}s",
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
