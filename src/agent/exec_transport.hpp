#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "agent/agent_client.hpp"

namespace benchctl {

// How long a new agent gets to say hello: an ssh login, a copy of benchctl starting cold.
inline constexpr std::chrono::seconds k_default_hello_timeout{30};

// The exec transport: any command whose stdin and stdout reach `benchctl agent` (docs/hosts.md).
// Starts `argv` (ExecChannel) and waits for the agent's hello. `name` names the host in
// messages; `hint` says how to check the transport by hand. Throws AgentError (unreachable,
// absent, protocol) or UserError when argv[0] cannot be started.
std::unique_ptr<AgentClient> connect_exec_agent(
    const std::string& name, const std::vector<std::string>& argv, const std::string& hint,
    std::chrono::milliseconds hello_timeout = k_default_hello_timeout);

// The local transport: `<binary> agent` on this machine, a fork and exec (the tests' transport,
// and a `local` host's). `binary` "" means this very program (/proc/self/exe).
std::unique_ptr<AgentClient> connect_local_agent(const std::string& name,
                                                 const std::string& binary = "");

// The path of the running program (/proc/self/exe resolved); "" when it cannot be read.
std::string this_program();

}  // namespace benchctl
