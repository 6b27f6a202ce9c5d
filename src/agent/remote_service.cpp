#include "agent/remote_service.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "agent/agent_client.hpp"
#include "agent/agent_protocol.hpp"
#include "agent/log_copy.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// ManagedService's own limits on the agent's host (setup 120 s, 10 s for the version, 30 s per
// database), plus the round trip.
constexpr auto k_setup_limit = 120s;
constexpr auto k_step_limit = 30s;
constexpr auto k_request_slack = 30s;
constexpr auto k_cancel_check = 50ms;  // how often a start looks at the run's interrupt

std::chrono::milliseconds start_limit(const ServiceConfig& config) {
    const auto steps = k_step_limit * (config.databases.size() + 1);
    return std::chrono::duration_cast<std::chrono::milliseconds>(config.ready_timeout) +
           k_setup_limit + steps + k_request_slack;
}

}  // namespace

struct RemoteService::State {
    AgentClient* agent = nullptr;
    std::string service;
    std::string kind;
    std::string tree;
    std::chrono::nanoseconds stop_grace{0};
    std::map<std::string, std::string> variables;
    std::string version;
    std::string data;
    bool stopped = false;

    json wait_for_start(AgentAnswer& answer, std::chrono::milliseconds limit,
                        const std::atomic<bool>& cancel) const;
    json request(const char* op, json params, std::chrono::milliseconds limit) const {
        params["tree"] = tree;
        return agent->call(op, params, limit);
    }
};

RemoteService::RemoteService(std::unique_ptr<State> state) : m_state(std::move(state)) {}
RemoteService::RemoteService(RemoteService&&) noexcept = default;
RemoteService& RemoteService::operator=(RemoteService&&) noexcept = default;

RemoteService::~RemoteService() {
    if (!m_state || m_state->stopped)
        return;
    try {
        stop(true);
    } catch (const std::exception&) {
        // The connection is gone: the agent tears the service down by itself.
    }
    m_state->agent->set_log_sink(m_state->tree, {});
}

// The answer to `start`, waited for up to `limit`; once `cancel` is set, the agent is asked to
// cut the start short (service_stop), and the start's own answer (an error) follows.
json RemoteService::State::wait_for_start(AgentAnswer& answer, std::chrono::milliseconds limit,
                                          const std::atomic<bool>& cancel) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    bool cut_short = false;
    while (answer.wait_for(k_cancel_check) != std::future_status::ready) {
        if (!cut_short && cancel.load()) {
            cut_short = true;
            agent->request("service_stop", {{"tree", tree}, {"hurry", true}});
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw AgentError(
                AgentError::Kind::lost,
                fmt::format("service_start got no answer within {}s",
                            std::chrono::duration_cast<std::chrono::seconds>(limit).count()),
                agent->where(), "check the host; its agent may be stuck");
        }
    }
    try {
        return answer.get();
    } catch (const UserError&) {
        if (cut_short)
            throw UserError(fmt::format("service '{}' ({}): interrupted while it started on {}",
                                        service, kind, agent->where()),
                            "services." + service, "");
        throw;
    }
}

RemoteService RemoteService::start(AgentClient& agent, const std::string& service,
                                   const ServiceConfig& config, std::uint16_t port,
                                   const std::string& address, const std::string& log_path,
                                   const std::atomic<bool>& cancel) {
    auto state = std::make_unique<State>();
    state->agent = &agent;
    state->service = service;
    state->kind = service_kind_name(config.kind);
    state->tree = "service-" + service;
    state->stop_grace = config.stop_grace;
    auto log = std::make_shared<LogCopy>(log_path);
    agent.set_log_sink(state->tree,
                       [log](std::uint64_t, std::string_view bytes) { log->append(bytes); });
    json answer;
    try {
        AgentAnswer pending =
            agent.request("service_start", {{"tree", state->tree},
                                            {"service", service},
                                            {"config", service_config_to_json(config)},
                                            {"port", port},
                                            {"address", address}});
        answer = state->wait_for_start(pending, start_limit(config), cancel);
    } catch (...) {
        agent.set_log_sink(state->tree, {});
        throw;
    }
    JsonField field(answer, agent.where(), "", "service_start");
    state->variables = field["variables"].as_string_map();
    state->version = field["version"].as_string();
    state->data = field["data"].as_string();
    return RemoteService(std::move(state));
}

const std::map<std::string, std::string>& RemoteService::variables() const {
    return m_state->variables;
}

const std::string& RemoteService::version() const {
    return m_state->version;
}

const std::string& RemoteService::data_location() const {
    return m_state->data;
}

void RemoteService::start_sampling(std::chrono::milliseconds interval) {
    m_state->request("sample_start", {{"interval_ms", interval.count()}}, k_request_slack);
}

ResourceUsage RemoteService::finish_sampling() {
    json answer = m_state->request("sample_finish", json::object(), k_request_slack);
    return resource_usage_from_json(
        JsonField(answer, m_state->agent->where(), "", "sample_finish")["usage"]);
}

void RemoteService::stop(bool hurry) {
    if (m_state->stopped)
        return;
    const auto grace =
        hurry ? 0ms : std::chrono::duration_cast<std::chrono::milliseconds>(m_state->stop_grace);
    m_state->request("service_stop", {{"hurry", hurry}}, grace + k_request_slack);
    m_state->stopped = true;
    // Every log event of the service came before this answer, on the same ordered stream.
    m_state->agent->set_log_sink(m_state->tree, {});
}

}  // namespace benchctl
