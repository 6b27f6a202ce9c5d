#include "runner/host_pool.hpp"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "results/load_document.hpp"
#include "util/error.hpp"

namespace benchctl {

DistributedLoadResult run_load_on_agents(HostPool* pool, const std::vector<LoadAgentSpec>& agents,
                                         const LoadSettings& settings, const StopSignal& stop,
                                         LoadProgress* progress) {
    if (pool == nullptr) {
        throw UserError("the load names agents, but no host is connected", "load.agents",
                        "name the agents' hosts under hosts: in the matrix file");
    }
    return pool->run_load(agents, settings, stop, progress);
}

HostPool* remote_pool(HostPool* pool, const Cell& cell) {
    return pool != nullptr && pool->is_remote(cell.target.host) ? pool : nullptr;
}

SharedMachine shared_machine(HostPool* pool, const Cell& cell, std::size_t local_cpus) {
    // "" is this machine; an ssh host is its name.
    const auto place = [&](const std::string& host) {
        return pool != nullptr && pool->is_remote(host) ? host : std::string();
    };
    const std::string target = place(cell.target.host);
    bool shared = cell.agents.empty() && target.empty();
    for (const LoadAgentSpec& agent : cell.agents)
        shared = shared || place(agent.host) == target;
    if (!shared)
        return {};
    if (target.empty())
        return {"", local_cpus};
    const nlohmann::json fingerprints = pool->fingerprints();
    const nlohmann::json* cores = nullptr;
    if (fingerprints.contains(target) && fingerprints[target].contains("host"))
        cores = &fingerprints[target]["host"]["cores"];
    const bool known = cores != nullptr && cores->is_number_integer() && cores->get<long>() > 0;
    return {target, known ? cores->get<std::size_t>() : 0};
}

std::unique_ptr<RunningTarget> start_on_host(HostPool& pool, const Cell& cell,
                                             const std::string& role, unsigned repetition,
                                             LaunchSpec spec, const RuntimeValues& values,
                                             const std::string& where,
                                             const std::optional<ReadinessSpec>& ready) {
    // A tree's name is a file name on the agent: letters, digits, '.', '_' and '-'.
    std::string name = fmt::format("{}-{}-{}", role, cell.id, repetition);
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            c = '_';
    }
    spec.cwd = fill_runtime_variables(cell.target.cwd, values, where);
    return pool.start_tree(cell.target.host, name, spec, ready, values.port);
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
