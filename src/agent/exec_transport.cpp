#include "agent/exec_transport.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "agent/agent_channel.hpp"

namespace benchctl {

std::unique_ptr<AgentClient> connect_exec_agent(const std::string& name,
                                                const std::vector<std::string>& argv,
                                                const std::string& hint,
                                                std::chrono::milliseconds hello_timeout) {
    return std::make_unique<AgentClient>(name, ExecChannel::start(argv), hello_timeout, hint);
}

std::unique_ptr<AgentClient> connect_local_agent(const std::string& name,
                                                 const std::string& binary) {
    const std::string program = binary.empty() ? this_program() : binary;
    return connect_exec_agent(name, {program, "agent"},
                              fmt::format("check that '{} agent' starts on this machine", program));
}

std::string this_program() {
    std::error_code error;
    std::filesystem::path path = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string() : path.string();
}

}  // namespace benchctl
