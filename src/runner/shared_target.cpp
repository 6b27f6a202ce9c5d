#include "runner/shared_target.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "agent/agent_protocol.hpp"

namespace benchctl {

void SharedTarget::stop() {
    if (!m_instance)
        return;
    const auto grace =
        m_control.hurry() ? std::chrono::nanoseconds{0} : m_instance->resolved.stop_grace;
    try {
        // The proxy in front goes first: no request reaches a target that is stopping.
        if (m_instance->companions)
            m_instance->companions->stop(m_control.hurry(), &m_control.hurry_flag());
        m_instance->tree->stop(m_instance->resolved.stop_signal, grace, &m_control.hurry_flag());
        m_observer.on_note(fmt::format("the shared target (port {}) stopped after {} cell{}",
                                       m_instance->port, m_instance->cells,
                                       m_instance->cells == 1 ? "" : "s"));
    } catch (const std::exception&) {
        // Destroying the tree below kills what is left.
    }
    m_instance.reset();
}

std::string shared_target_key(const TargetSpec& target) {
    std::string env;
    for (const auto& [name, value] : target.env)
        env += name + "=" + value + "\n";
    std::string companions;
    for (const CompanionSpec& companion : target.companions) {
        companions += companion.name + "\x1e" +
                      (companion.config ? service_config_to_json(*companion.config).dump()
                                        : shared_target_key(companion.command)) +
                      "\x1d";
    }
    return fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}", fmt::join(target.command, "\x1f"),
                       target.shell.value_or(""), target.cwd, env, fmt::join(target.cpus, ","),
                       target.host, companions);
}

}  // namespace benchctl
