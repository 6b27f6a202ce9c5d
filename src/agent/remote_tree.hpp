#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "launch/process_tree.hpp"
#include "launch/readiness.hpp"
#include "launch/readiness_spec.hpp"
#include "launch/resource_usage.hpp"

namespace benchctl {

class AgentClient;

// A process tree that an agent runs on its host: the coordinator's handle, with the calls of a
// local ProcessTree (start, readiness, poll, sampling, stop) as requests to the agent. The tree's
// log arrives as the agent streams it and is appended to the LaunchSpec's log_path on this
// machine, so a remote target's log lands in the run directory like a local one's; by the time
// stop() returns it is complete. Destroying a tree that was not stopped stops it without grace
// (the agent SIGKILLs it); if the connection drops, the agent tears it down by itself.
class RemoteTree {
  public:
    // Starts `spec` on `agent`'s host under `name` (unique among the agent's running trees) and,
    // when `readiness` is given, waits until it is ready on that host's 127.0.0.1:`port`, exits,
    // or the readiness timeout passes (ready() says which). `agent` must outlive the tree.
    // Throws UserError when spec.log_path cannot be opened here, AgentError when the agent cannot
    // start it (refused: the reason, as a local start would give it) or the connection drops.
    static RemoteTree launch(AgentClient& agent, const std::string& name, const LaunchSpec& spec,
                             const std::optional<ReadinessSpec>& readiness, std::uint16_t port);
    RemoteTree(RemoteTree&&) noexcept;
    RemoteTree& operator=(RemoteTree&&) noexcept;
    // stop(SIGKILL, 0) when still running; never throws.
    ~RemoteTree();

    const std::string& name() const;
    pid_t root() const;  // on the agent's host
    ProcessTracking tracking() const;
    // The readiness outcome; nullopt when launched without a readiness spec.
    const std::optional<ReadyOutcome>& ready() const;

    // The root's exit status once it has exited, else nullopt. Throws AgentError.
    std::optional<ExitStatus> poll_exit();
    // The tree's live processes on its host. Throws AgentError.
    std::size_t member_count();
    // The CPU time (user + system) the tree has used so far on its host, as tree_cpu_time there
    // (only differences over a window are meaningful). Throws AgentError.
    std::chrono::microseconds cpu_time();

    // Samples the tree's CPU and memory on its host from now (ResourceSampler there) until
    // finish_sampling(). Throws AgentError.
    void start_sampling(std::chrono::milliseconds interval);
    ResourceUsage finish_sampling();

    // Stops the tree as ProcessTree::stop does, on its host; returns once the tree is gone and
    // its log is complete here. Idempotent: later calls return the first report. Throws
    // AgentError.
    StopReport stop(int signal, std::chrono::nanoseconds grace);

  private:
    struct State;
    explicit RemoteTree(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

}  // namespace benchctl
