#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "launch/resource_usage.hpp"
#include "services/service_config.hpp"

namespace benchctl {

class AgentClient;

// A service of a known kind (postgres, redis, nginx) that an agent runs on its host: the
// coordinator's handle on the protocol's "service_start" and "service_stop" (docs/hosts.md). The
// agent sets the server up there exactly as ManagedService does here (initdb as an unprivileged
// user when root, its files in the agent's session directory, readiness by the kind's handshake
// on that host's 127.0.0.1); the server listens on every address of its host, and its variables
// name the host's address. Its log is streamed into a file here. If the connection drops, the
// agent stops it and removes its data by itself.
class RemoteService {
  public:
    // Starts service `service` of `config` (its variables filled in) on `agent`'s host as tree
    // "service-<service>", on that host's port `port`, reached by the cells at `address`; its
    // log is appended to `log_path` here. `agent` must outlive the service. Throws UserError
    // when `log_path` cannot be opened, AgentError when the agent cannot start it (the reason
    // and the log's tail, as a start here gives them) or the connection drops.
    // When `cancel` becomes true during the start, the agent is asked to cut it short and this
    // throws UserError ("interrupted") once the agent has stopped it.
    static RemoteService start(AgentClient& agent, const std::string& service,
                               const ServiceConfig& config, std::uint16_t port,
                               const std::string& address, const std::string& log_path,
                               const std::atomic<bool>& cancel);
    RemoteService(RemoteService&&) noexcept;
    RemoteService& operator=(RemoteService&&) noexcept;
    // stop(true) when still running; never throws.
    ~RemoteService();

    // ${<name>.<key>}: port, host (the host's address), url, and postgres' user, password,
    // database.
    const std::map<std::string, std::string>& variables() const;
    // The server's version line, as ManagedService::version.
    const std::string& version() const;
    // Where its data is on the agent's host.
    const std::string& data_location() const;

    // Samples the server's processes on its host until finish_sampling(). Throws AgentError.
    void start_sampling(std::chrono::milliseconds interval);
    ResourceUsage finish_sampling();

    // Stops the server on its host (its kind's signal, SIGKILL after its grace; none when
    // `hurry`) and removes its data; returns once its log is complete here. Idempotent.
    // Throws AgentError.
    void stop(bool hurry);

  private:
    struct State;
    explicit RemoteService(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

}  // namespace benchctl
