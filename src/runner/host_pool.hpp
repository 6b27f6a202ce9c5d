#pragma once

#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "agent/distributed_load.hpp"
#include "load/load_engine.hpp"
#include "load/load_settings.hpp"
#include "matrix/matrix.hpp"

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

    // Every connected host's fingerprint, for the run manifest: an object of host name ->
    // {transport, benchctl: {version, git_revision}, protocol, host: HostInfo}.
    virtual nlohmann::json fingerprints() const = 0;
};

// pool->run_load(agents, settings, stop). Throws UserError when `pool` is null (the matrix's
// hosts were not connected), and what run_load throws.
DistributedLoadResult run_load_on_agents(HostPool* pool, const std::vector<LoadAgentSpec>& agents,
                                         const LoadSettings& settings, const StopSignal& stop);

// Throws UserError naming the cell or service when `matrix` places a target or a service on an
// ssh host: the runner starts them on this machine only so far (docs/hosts.md, "Status"). A
// local host is this machine, where they run as always.
void check_placements_supported(const Matrix& matrix);

// The cell document's `agents`: one object per agent of `result`, in order: its host, its
// clock offset and round trip, its start skew and lateness (ns), its part's benchctl.load/1
// document.
nlohmann::json agents_document(const DistributedLoadResult& result);

}  // namespace benchctl
