#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "agent/distributed_load.hpp"
#include "load/load_engine.hpp"
#include "load/load_settings.hpp"
#include "matrix/matrix.hpp"
#include "runner/target_launcher.hpp"

namespace benchctl {

// The run's connections to the hosts of `hosts:` (docs/hosts.md), as the runner uses them: a
// cell's load split over agents, and what each host said of itself. The real one holds one
// agent connection per host for the whole run; tests hand the runner fakes whose results and
// failures they script.
class HostPool {
  public:
    virtual ~HostPool() = default;

    // Runs `settings` split over `agents` (by weight) and merges what they measured
    // (run_distributed_load): blocks until every agent is done, or `stop` is requested (their
    // partial results merge as an interrupted load). Called on the load's own thread. Throws
    // UserError (an AgentError naming the host and its reason) when an agent fails or is not
    // connected, or the load cannot be split.
    virtual DistributedLoadResult run_load(const std::vector<LoadAgentSpec>& agents,
                                           const LoadSettings& settings,
                                           const StopSignal& stop) = 0;

    // Whether `host` (a name of hosts:, or "") is an ssh host, whose trees start through its
    // agent; false for "" and a local host, whose trees start on this machine as always.
    virtual bool is_remote(const std::string& host) const = 0;
    // A free TCP port on `host`'s 127.0.0.1 (its agent's free_port). Throws UserError
    // (AgentError) when the agent fails.
    virtual std::uint16_t free_port(const std::string& host) = 0;
    // Starts `spec` on `host` as tree `name` through its agent, which waits for `ready` on its
    // 127.0.0.1:`port` (the returned target's wait_until_ready reports how that went); the log is
    // streamed into spec.log_path here. Throws UserError (AgentError) when it cannot be started.
    virtual std::unique_ptr<RunningTarget> start_tree(const std::string& host,
                                                      const std::string& name,
                                                      const LaunchSpec& spec,
                                                      const ReadinessSpec& ready,
                                                      std::uint16_t port) = 0;

    // Every connected host's fingerprint, for the run manifest: an object of host name ->
    // {transport, benchctl: {version, git_revision}, protocol, host: HostInfo}.
    virtual nlohmann::json fingerprints() const = 0;
};

// pool->run_load(agents, settings, stop). Throws UserError when `pool` is null (the matrix's
// hosts were not connected), and what run_load throws.
DistributedLoadResult run_load_on_agents(HostPool* pool, const std::vector<LoadAgentSpec>& agents,
                                         const LoadSettings& settings, const StopSignal& stop);

// The pool when `cell`'s target runs on an ssh host (through `pool`), else nullptr (this
// machine: the run's launcher).
HostPool* remote_pool(HostPool* pool, const Cell& cell);

// Starts a cell's target (`resolved`, its variables filled) on its ssh host through `pool`, as
// tree "target-<cell id>-<repetition>", ready on that host's 127.0.0.1:`port`. The cwd is the
// target's own (`cwd`, filled; "" = the agent's, the ssh user's home), not resolved against the
// matrix file's directory, which is a path of this machine. Throws UserError (AgentError).
std::unique_ptr<RunningTarget> start_on_host(HostPool& pool, const Cell& cell, unsigned repetition,
                                             LaunchSpec spec, const std::string& cwd,
                                             const ReadinessSpec& ready, std::uint16_t port);

// The cell document's `agents`: one object per agent of `result`, in order: its host, its
// clock offset and round trip, its start skew and lateness (ns), its part's benchctl.load/1
// document.
nlohmann::json agents_document(const DistributedLoadResult& result);

}  // namespace benchctl
