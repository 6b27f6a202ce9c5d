#include "runner/host_pool.hpp"

#include <nlohmann/json.hpp>

#include "results/load_document.hpp"
#include "util/error.hpp"

namespace benchctl {

DistributedLoadResult run_load_on_agents(HostPool* pool, const std::vector<LoadAgentSpec>& agents,
                                         const LoadSettings& settings, const StopSignal& stop) {
    if (pool == nullptr) {
        throw UserError("the load names agents, but no host is connected", "load.agents",
                        "name the agents' hosts under hosts: in the matrix file");
    }
    return pool->run_load(agents, settings, stop);
}

nlohmann::json agents_document(const DistributedLoadResult& result) {
    nlohmann::json agents = nlohmann::json::array();
    for (const AgentLoadReport& agent : result.agents) {
        agents.push_back({{"host", agent.agent},
                          {"clock_offset_ns", agent.clock.offset_ns},
                          {"clock_rtt_ns", agent.clock.rtt_ns},
                          {"start_skew_ns", agent.start_skew_ns},
                          {"late_ns", agent.late_ns},
                          {"load", to_load_document(agent.settings, agent.result)}});
    }
    return agents;
}

}  // namespace benchctl
