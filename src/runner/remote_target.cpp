#include "runner/remote_target.hpp"

#include "agent/agent_client.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;

constexpr auto k_sample_interval = 100ms;

}  // namespace

RemoteTarget::RemoteTarget(AgentClient& agent, const std::string& name, const LaunchSpec& spec,
                           const std::optional<ReadinessSpec>& ready, std::uint16_t port)
    : m_tree(RemoteTree::launch(agent, name, spec, ready, port)) {}

std::string RemoteTarget::tracking() const {
    return process_tracking_name(m_tree.tracking());
}

ReadyOutcome RemoteTarget::wait_until_ready(const ReadinessSpec&, std::uint16_t,
                                            const std::atomic<bool>&) {
    // The agent waited as part of the launch, with the same spec and port.
    return m_tree.ready().value_or(ReadyOutcome{true, {}, ""});
}

std::optional<ExitStatus> RemoteTarget::poll_exit() {
    return m_tree.poll_exit();
}

std::chrono::microseconds RemoteTarget::cpu_time() {
    return m_tree.cpu_time();
}

void RemoteTarget::start_sampling() {
    m_tree.start_sampling(k_sample_interval);
    m_sampling = true;
}

ResourceUsage RemoteTarget::finish_sampling() {
    if (!m_sampling)
        return {};
    m_sampling = false;
    return m_tree.finish_sampling();
}

StopReport RemoteTarget::stop(int signal, std::chrono::nanoseconds grace,
                              const std::atomic<bool>*) {
    return m_tree.stop(signal, grace);
}

}  // namespace benchctl
