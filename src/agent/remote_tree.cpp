#include "agent/remote_tree.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <nlohmann/json.hpp>

#include "agent/agent_client.hpp"
#include "agent/agent_protocol.hpp"
#include "agent/log_copy.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// On top of the readiness timeout or the stop's grace: the agent's own limits (a probe of 2 s,
// 10 s of SIGKILLs for a process stuck in the kernel) and the round trip.
constexpr auto k_request_slack = 30s;

std::chrono::milliseconds with_slack(std::chrono::nanoseconds wait) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(wait) + k_request_slack;
}

}  // namespace

struct RemoteTree::State {
    AgentClient* agent = nullptr;
    std::string name;
    pid_t root = 0;
    ProcessTracking tracking = ProcessTracking::scan;
    std::optional<ReadyOutcome> ready;
    std::optional<StopReport> stopped;

    json request(const char* op, json params = json::object()) const {
        params["tree"] = name;
        return agent->call(op, params);
    }
};

RemoteTree::RemoteTree(std::unique_ptr<State> state) : m_state(std::move(state)) {}
RemoteTree::RemoteTree(RemoteTree&&) noexcept = default;
RemoteTree& RemoteTree::operator=(RemoteTree&&) noexcept = default;

RemoteTree::~RemoteTree() {
    if (!m_state || m_state->stopped)
        return;
    try {
        stop(SIGKILL, 0ns);
    } catch (const std::exception&) {
        // The connection is gone: the agent tears the tree down by itself.
    }
    m_state->agent->set_log_sink(m_state->name, {});
}

RemoteTree RemoteTree::launch(AgentClient& agent, const std::string& name, const LaunchSpec& spec,
                              const std::optional<ReadinessSpec>& readiness, std::uint16_t port) {
    auto log = std::make_shared<LogCopy>(spec.log_path);
    agent.set_log_sink(name, [log](std::uint64_t, std::string_view bytes) { log->append(bytes); });
    json params = {{"tree", name}, {"spec", launch_spec_to_json(spec)}, {"port", port}};
    if (readiness)
        params["ready"] = readiness_to_json(*readiness);
    const auto wait = readiness ? readiness->timeout : std::chrono::nanoseconds(0);
    json answer;
    try {
        answer = agent.call("launch", params, with_slack(wait));
    } catch (...) {
        agent.set_log_sink(name, {});
        throw;
    }
    JsonField field(answer, agent.where(), "", "launch");
    auto state = std::make_unique<State>();
    state->agent = &agent;
    state->name = name;
    state->root = static_cast<pid_t>(field["pid"].as_unsigned());
    state->tracking = process_tracking_from_json(field["tracking"]);
    if (!field["ready"].is_null())
        state->ready = ready_outcome_from_json(field["ready"]);
    return RemoteTree(std::move(state));
}

const std::string& RemoteTree::name() const {
    return m_state->name;
}

pid_t RemoteTree::root() const {
    return m_state->root;
}

ProcessTracking RemoteTree::tracking() const {
    return m_state->tracking;
}

const std::optional<ReadyOutcome>& RemoteTree::ready() const {
    return m_state->ready;
}

std::optional<ExitStatus> RemoteTree::poll_exit() {
    json answer = m_state->request("poll");
    return exit_status_from_json(JsonField(answer, m_state->agent->where(), "", "poll")["exit"]);
}

std::size_t RemoteTree::member_count() {
    json answer = m_state->request("poll");
    return JsonField(answer, m_state->agent->where(), "", "poll")["members"].as_unsigned();
}

std::chrono::microseconds RemoteTree::cpu_time() {
    json answer = m_state->request("poll");
    return std::chrono::microseconds{
        JsonField(answer, m_state->agent->where(), "", "poll")["cpu_us"].as_unsigned()};
}

void RemoteTree::start_sampling(std::chrono::milliseconds interval) {
    m_state->request("sample_start", {{"interval_ms", interval.count()}});
}

ResourceUsage RemoteTree::finish_sampling() {
    json answer = m_state->request("sample_finish");
    return resource_usage_from_json(
        JsonField(answer, m_state->agent->where(), "", "sample_finish")["usage"]);
}

StopReport RemoteTree::stop(int signal, std::chrono::nanoseconds grace) {
    if (m_state->stopped)
        return *m_state->stopped;
    json params = {{"tree", m_state->name},
                   {"signal", signal},
                   {"grace_sec", std::chrono::duration<double>(grace).count()}};
    json answer = m_state->agent->call("stop", params, with_slack(grace));
    // Every log event of the tree came before this answer, on the same ordered stream.
    m_state->agent->set_log_sink(m_state->name, {});
    m_state->stopped =
        stop_report_from_json(JsonField(answer, m_state->agent->where(), "", "stop"));
    return *m_state->stopped;
}

}  // namespace benchctl
