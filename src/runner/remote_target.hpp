#pragma once

#include <memory>
#include <optional>
#include <string>

#include "agent/remote_tree.hpp"
#include "runner/target_launcher.hpp"

namespace benchctl {

class AgentClient;

// A cell's target on another host: a RemoteTree (the agent's process tree there) as the runner's
// RunningTarget. It is started ready or not: the agent waits for readiness on its host's
// 127.0.0.1 as part of the launch (the protocol's `launch` with `ready`), and wait_until_ready
// reports that outcome. Its log is streamed into LaunchSpec::log_path here. Its CPU time, for the
// settle step, is measured by the agent on its host (`poll`'s cpu_us).
class RemoteTarget final : public RunningTarget {
  public:
    // Launches `spec` on `agent`'s host as tree `name`, waiting (with `ready`) up to its timeout
    // for it to be ready on that host's 127.0.0.1:`port`. Throws UserError (AgentError) when the
    // agent cannot start it or the connection drops.
    RemoteTarget(AgentClient& agent, const std::string& name, const LaunchSpec& spec,
                 const std::optional<ReadinessSpec>& ready, std::uint16_t port);

    std::string tracking() const override;
    ReadyOutcome wait_until_ready(const ReadinessSpec& spec, std::uint16_t port,
                                  const std::atomic<bool>& cancel) override;
    std::optional<ExitStatus> poll_exit() override;
    std::chrono::microseconds cpu_time() override;
    void start_sampling() override;
    ResourceUsage finish_sampling() override;
    StopReport stop(int signal, std::chrono::nanoseconds grace,
                    const std::atomic<bool>* cut_short) override;

  private:
    RemoteTree m_tree;
    bool m_sampling = false;
};

}  // namespace benchctl
