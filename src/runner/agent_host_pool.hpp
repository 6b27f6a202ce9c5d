#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runner/host_pool.hpp"

namespace benchctl {

class AgentClient;

// The real HostPool: connects to every host of `hosts` at once (connect_local_agent for a local
// host, connect_ssh_agent for an ssh one), so that an unreachable host, an absent benchctl
// without consent or another protocol version stops the run before its first cell; keeps the
// connections for the run and closes them (each agent tearing down what it started) when
// destroyed.
class AgentHostPool final : public HostPool {
  public:
    // `copy_binary`: consent for every host (benchctl run --copy-binary), besides each host's
    // own copy_binary. `local_binary`: the benchctl a local agent runs and an ssh host gets
    // ("" = this program). Throws AgentError (unreachable, absent, protocol) or UserError for the
    // first host that cannot be connected, after closing those that were.
    AgentHostPool(const std::vector<HostSpec>& hosts, bool copy_binary,
                  const std::string& local_binary = "");
    ~AgentHostPool() override;

    DistributedLoadResult run_load(const std::vector<LoadAgentSpec>& agents,
                                   const LoadSettings& settings, const StopSignal& stop,
                                   LoadProgress* progress) override;
    bool is_remote(const std::string& host) const override;
    std::uint16_t free_port(const std::string& host) override;
    std::unique_ptr<RunningTarget> start_tree(const std::string& host, const std::string& name,
                                              const LaunchSpec& spec,
                                              const std::optional<ReadinessSpec>& ready,
                                              std::uint16_t port) override;
    std::unique_ptr<HostedService> start_service(const std::string& host, const std::string& name,
                                                 const ServiceConfig& config, std::uint16_t port,
                                                 const std::string& address,
                                                 const std::string& log_path,
                                                 const std::atomic<bool>& cancel) override;
    nlohmann::json fingerprints() const override;

  private:
    // The connection to `host`; throws UserError when there is none or it dropped.
    AgentClient& client(const std::string& host) const;

    struct Connection {
        std::string transport;  // "local" or "ssh"
        std::unique_ptr<AgentClient> client;
    };
    std::map<std::string, Connection> m_connections;
};

}  // namespace benchctl
