#include "runner/host_pool.hpp"

#include <fmt/format.h>

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

namespace {

bool is_remote(const Matrix& matrix, const std::string& host) {
    for (const HostSpec& spec : matrix.hosts) {
        if (spec.name == host)
            return !spec.local;
    }
    return false;
}

[[noreturn]] void refuse_placement(const std::string& what, const std::string& host,
                                   const std::string& where) {
    throw UserError(fmt::format("{} is placed on the ssh host '{}': benchctl runs targets and "
                                "services on this machine only so far",
                                what, host),
                    where,
                    "run it on this machine (remove host:, or name a local host) and reach it "
                    "from the load agents by this machine's address");
}

}  // namespace

void check_placements_supported(const Matrix& matrix) {
    for (const ServiceSpec& service : matrix.services) {
        if (is_remote(matrix, service.host))
            refuse_placement("service '" + service.name + "'", service.host,
                             "services." + service.name + ".host");
    }
    for (const Cell& cell : matrix.cells) {
        if (is_remote(matrix, cell.target.host))
            refuse_placement("the target", cell.target.host, "target.host in cell " + cell.id);
    }
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
