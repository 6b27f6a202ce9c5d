#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "agent/distributed_load.hpp"
#include "load/load_engine.hpp"
#include "load/load_settings.hpp"
#include "matrix/matrix.hpp"
#include "runner/resolved_cell.hpp"
#include "runner/target_launcher.hpp"
#include "services/service_config.hpp"

namespace benchctl {

// A service of a known kind running on an ssh host (HostPool::start_service), as the run's
// ServiceSet holds it beside the ones it runs here.
class HostedService {
  public:
    virtual ~HostedService() = default;
    // ${<name>.<key>} of the service: its host's address in host and url.
    virtual const std::map<std::string, std::string>& variables() const = 0;
    // The server's version line; "" if it said none.
    virtual const std::string& version() const = 0;
    // Where its data is on its host (the manifest's `data`).
    virtual const std::string& data_location() const = 0;
    // Samples the server's processes on its host over a cell's load, until finish_sampling().
    // Both throw UserError (AgentError) when its agent fails.
    virtual void start_sampling() = 0;
    virtual ResourceUsage finish_sampling() = 0;
    // Stops it (its kind's signal, then SIGKILL after its grace; none when `hurry`) and
    // removes its data. Idempotent. Throws UserError (AgentError) when its agent fails.
    virtual void stop(bool hurry) = 0;
};

// The run's connections to the hosts of `hosts:` (docs/hosts.md), as the runner uses them: a
// cell's load split over agents, and what each host said of itself. The real one holds one
// agent connection per host for the whole run; tests hand the runner fakes whose results and
// failures they script.
class HostPool {
  public:
    virtual ~HostPool() = default;

    // Runs `settings` split over `agents` (by weight) and merges what they measured
    // (run_distributed_load): blocks until every agent is done, or `stop` is requested (their
    // partial results merge as an interrupted load); `progress` (may be null) holds the sum of
    // the agents' live figures meanwhile. Called on the load's own thread. Throws
    // UserError (an AgentError naming the host and its reason) when an agent fails or is not
    // connected, or the load cannot be split.
    virtual DistributedLoadResult run_load(const std::vector<LoadAgentSpec>& agents,
                                           const LoadSettings& settings, const StopSignal& stop,
                                           LoadProgress* progress) = 0;

    // Whether `host` (a name of hosts:, or "") is an ssh host, whose trees start through its
    // agent; false for "" and a local host, whose trees start on this machine as always.
    virtual bool is_remote(const std::string& host) const = 0;
    // A free TCP port on `host`'s 127.0.0.1 (its agent's free_port). Throws UserError
    // (AgentError) when the agent fails.
    virtual std::uint16_t free_port(const std::string& host) = 0;
    // Starts `spec` on `host` as tree `name` through its agent, which waits for `ready` (when
    // given) on its 127.0.0.1:`port` (the returned target's wait_until_ready reports how that
    // went); the log is streamed into spec.log_path here. Throws UserError (AgentError) when it
    // cannot be started.
    virtual std::unique_ptr<RunningTarget> start_tree(const std::string& host,
                                                      const std::string& name,
                                                      const LaunchSpec& spec,
                                                      const std::optional<ReadinessSpec>& ready,
                                                      std::uint16_t port) = 0;

    // Starts service `name` of `config` (its variables filled in) on `host` through its agent:
    // set up and ready there on port `port`, reached by the cells at `address`, its log
    // streamed into `log_path` here. Throws UserError (AgentError) when it cannot be started,
    // with the reason and the log's tail, or once `cancel` became true (the agent stops it).
    virtual std::unique_ptr<HostedService> start_service(
        const std::string& host, const std::string& name, const ServiceConfig& config,
        std::uint16_t port, const std::string& address, const std::string& log_path,
        const std::atomic<bool>& cancel) = 0;

    // Every connected host's fingerprint, for the run manifest: an object of host name ->
    // {transport, benchctl: {version, git_revision}, protocol, host: HostInfo}.
    virtual nlohmann::json fingerprints() const = 0;
};

// pool->run_load(agents, settings, stop, progress). Throws UserError when `pool` is null (the
// matrix's hosts were not connected), and what run_load throws.
DistributedLoadResult run_load_on_agents(HostPool* pool, const std::vector<LoadAgentSpec>& agents,
                                         const LoadSettings& settings, const StopSignal& stop,
                                         LoadProgress* progress);

// The pool when `cell`'s target runs on an ssh host (through `pool`), else nullptr (this
// machine: the run's launcher).
HostPool* remote_pool(HostPool* pool, const Cell& cell);

// The machine `cell`'s load client and its target share, for the shared_cores warning.
struct SharedMachine {
    std::string host;      // "": this machine; else the ssh host's name
    std::size_t cpus = 0;  // its CPUs; 0 when client and target run on different machines
};

// This machine with `local_cpus` when both run here (the load here or on an agent of a local
// host, the target here); an ssh host with its cores (its fingerprint's, 0 when unknown) when
// the target and one of the load's agents run there; none (cpus 0) otherwise.
SharedMachine shared_machine(HostPool* pool, const Cell& cell, std::size_t local_cpus);

// Starts a process of a cell's target (`spec`, resolved with `values`) on the target's ssh
// host through `pool`, as tree "<role>-<cell id>-<repetition>" ("target", "shared", or
// "version" for its version command), ready (when `ready` is given) on that host's
// 127.0.0.1:values.port. The cwd is the target's own (target.cwd filled with `values`, `where`
// naming it in errors; "" = the agent's, the ssh user's home), not resolved against the matrix
// file's directory, which is a path of this machine. Throws UserError (AgentError).
std::unique_ptr<RunningTarget> start_on_host(HostPool& pool, const Cell& cell,
                                             const std::string& role, unsigned repetition,
                                             LaunchSpec spec, const RuntimeValues& values,
                                             const std::string& where,
                                             const std::optional<ReadinessSpec>& ready);

// The cell document's `agents`: one object per agent of `result`, in order: its host, its
// clock offset and round trip, its start skew and lateness (ns), its part's benchctl.load/1
// document.
nlohmann::json agents_document(const DistributedLoadResult& result);

}  // namespace benchctl
