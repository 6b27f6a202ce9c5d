#include "runner/agent_host_pool.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "agent/agent_client.hpp"
#include "agent/exec_transport.hpp"
#include "agent/remote_service.hpp"
#include "agent/ssh_transport.hpp"
#include "results/host_info.hpp"
#include "runner/remote_target.hpp"

namespace benchctl {

namespace {

SshHost ssh_host(const HostSpec& spec, bool copy_binary) {
    SshHost host;
    host.name = spec.name;
    host.address = spec.address;
    host.user = spec.user;
    host.port = spec.port;
    host.identity_file = spec.identity;
    host.options = spec.options;
    host.benchctl = spec.benchctl;
    host.copy_binary = spec.copy_binary || copy_binary;
    return host;
}

constexpr std::chrono::milliseconds k_service_sample_interval{100};  // as a service's here

// A RemoteService as the ServiceSet's HostedService.
class AgentHostedService final : public HostedService {
  public:
    explicit AgentHostedService(RemoteService service) : m_service(std::move(service)) {}
    const std::map<std::string, std::string>& variables() const override {
        return m_service.variables();
    }
    const std::string& version() const override { return m_service.version(); }
    const std::string& data_location() const override { return m_service.data_location(); }
    void start_sampling() override { m_service.start_sampling(k_service_sample_interval); }
    ResourceUsage finish_sampling() override { return m_service.finish_sampling(); }
    void stop(bool hurry) override { m_service.stop(hurry); }

  private:
    RemoteService m_service;
};

}  // namespace

AgentHostPool::AgentHostPool(const std::vector<HostSpec>& hosts, bool copy_binary,
                             const std::string& local_binary) {
    for (const HostSpec& spec : hosts) {
        Connection connection;
        if (spec.local) {
            connection.transport = "local";
            connection.client = connect_local_agent(
                spec.name, spec.benchctl.empty() ? local_binary : spec.benchctl);
        } else {
            connection.transport = "ssh";
            const SshHost host = ssh_host(spec, copy_binary);
            check_ssh_host(host);
            connection.client = connect_ssh_agent(host, local_binary);
        }
        // A throw above destroys the connections made so far: each closes its agent.
        m_connections.emplace(spec.name, std::move(connection));
    }
}

AgentHostPool::~AgentHostPool() {
    for (auto& [name, connection] : m_connections)
        connection.client->close();
}

AgentClient& AgentHostPool::client(const std::string& host) const {
    auto found = m_connections.find(host);
    if (found == m_connections.end()) {
        throw UserError(fmt::format("no connection to the host '{}'", host),
                        fmt::format("host '{}'", host),
                        "name the host under hosts: in the matrix file");
    }
    AgentClient& client = *found->second.client;
    if (!client.connected()) {
        throw AgentError(
            AgentError::Kind::lost,
            fmt::format("the connection to the agent dropped earlier ({})", client.lost_reason()),
            client.where(), "check the host, then resume the run (--resume)");
    }
    return client;
}

DistributedLoadResult AgentHostPool::run_load(const std::vector<LoadAgentSpec>& agents,
                                              const LoadSettings& settings, const StopSignal& stop,
                                              LoadProgress* progress) {
    std::vector<LoadAgent> load_agents;
    for (const LoadAgentSpec& agent : agents)
        load_agents.push_back({&client(agent.host), agent.weight});
    return run_distributed_load(load_agents, settings, stop, progress);
}

bool AgentHostPool::is_remote(const std::string& host) const {
    auto found = m_connections.find(host);
    return found != m_connections.end() && found->second.transport == "ssh";
}

std::uint16_t AgentHostPool::free_port(const std::string& host) {
    const nlohmann::json answer = client(host).call("free_port", nlohmann::json::object());
    return answer.at("port").get<std::uint16_t>();
}

std::unique_ptr<RunningTarget> AgentHostPool::start_tree(const std::string& host,
                                                         const std::string& name,
                                                         const LaunchSpec& spec,
                                                         const std::optional<ReadinessSpec>& ready,
                                                         std::uint16_t port) {
    return std::make_unique<RemoteTarget>(client(host), name, spec, ready, port);
}

std::unique_ptr<HostedService> AgentHostPool::start_service(
    const std::string& host, const std::string& name, const ServiceConfig& config,
    std::uint16_t port, const std::string& address, const std::string& log_path,
    const std::atomic<bool>& cancel) {
    return std::make_unique<AgentHostedService>(
        RemoteService::start(client(host), name, config, port, address, log_path, cancel));
}

nlohmann::json AgentHostPool::fingerprints() const {
    nlohmann::json hosts = nlohmann::json::object();
    for (const auto& [name, connection] : m_connections) {
        const AgentHello& hello = connection.client->hello();
        hosts[name] = {
            {"transport", connection.transport},
            {"protocol", hello.protocol},
            {"benchctl",
             {{"version", hello.benchctl_version}, {"git_revision", hello.git_revision}}},
            {"host", to_json(hello.host)}};
    }
    return hosts;
}

}  // namespace benchctl
