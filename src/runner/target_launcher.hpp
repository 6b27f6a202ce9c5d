#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "launch/process_tree.hpp"
#include "launch/readiness.hpp"
#include "launch/resource_usage.hpp"

namespace benchctl {

// One started process tree (a cell's target, a service, a version command) as the runner uses
// it. The real one is a ProcessTree with its readiness probe and resource sampler; tests hand the
// runner fakes whose exits, readiness and CPU they script. No process of a tree outlives its
// RunningTarget: destroying one that still runs stops it without grace.
class RunningTarget {
  public:
    virtual ~RunningTarget() = default;

    // How membership is tracked: "cgroup" or "scan" (process_tracking_name).
    virtual std::string tracking() const = 0;
    // Waits until the tree is ready on 127.0.0.1:`port` per `spec` (launch's wait_until_ready:
    // never throws for what the target does; throws UserError for an unusable log pattern).
    virtual ReadyOutcome wait_until_ready(const ReadinessSpec& spec, std::uint16_t port,
                                          const std::atomic<bool>& cancel) = 0;
    // Non-blocking: the root's exit status once it has exited, else nullopt. May be called from
    // another thread than the one running the load.
    virtual std::optional<ExitStatus> poll_exit() = 0;
    // CPU time (user + system) the tree has used so far, for the settle step: its cgroup's when
    // it has one, else the sum over its live processes (so a process that exits drops out; only
    // differences over a short window are meaningful).
    virtual std::chrono::microseconds cpu_time() = 0;
    // Samples CPU and memory from now until finish_sampling() (ResourceSampler); again after
    // each finish (a command service is sampled over every cell's load). Throws UserError when
    // the sampling thread cannot be created.
    virtual void start_sampling() = 0;
    virtual ResourceUsage finish_sampling() = 0;
    // Sends `signal`, waits up to `grace`, then SIGKILLs what is left (ProcessTree::stop).
    // Idempotent.
    virtual StopReport stop(int signal, std::chrono::nanoseconds grace,
                            const std::atomic<bool>* cut_short) = 0;
};

// Starts process trees: the runner's one way into launch/ (ninja's CommandRunner idea), so that
// the order of starts, readiness, stops and failures is tested without a process.
class TargetLauncher {
  public:
    virtual ~TargetLauncher() = default;

    // A free TCP port on 127.0.0.1 (find_free_port).
    virtual std::uint16_t free_port() = 0;
    // Starts `spec` (ProcessTree::start). Throws UserError naming the command when it cannot be
    // started. The caller owns the result.
    virtual std::unique_ptr<RunningTarget> start(const LaunchSpec& spec) = 0;
    // The last `lines` lines of a log file, "" when there is none (launch's log_tail).
    virtual std::string log_tail(const std::string& path, unsigned lines) = 0;
    // How many CPUs targets and the load client may share here (benchctl's affinity), for the
    // shared_cores warning.
    virtual std::size_t usable_cpu_count() = 0;
};

// The real launcher: ProcessTree, wait_until_ready, ResourceSampler (sampling every 100 ms),
// find_free_port, usable_cpus(). Stateless; lives for the program.
TargetLauncher& process_launcher();

}  // namespace benchctl
