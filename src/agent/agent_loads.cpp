#include "agent/agent_loads.hpp"

#include <fmt/format.h>
#include <netdb.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent/agent_protocol.hpp"
#include "load/load_engine.hpp"
#include "load/load_settings.hpp"
#include "results/load_document.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace {

using nlohmann::json;

// A wait for the start instant checks for a cancel this often.
constexpr std::uint64_t k_wait_slice_ns = 20'000'000;

// The same check run_load makes first, made before the barrier so that a host the agent cannot
// resolve fails the preparation, not the start.
void resolve_host(const Url& url) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(url.port);
    int rc = getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found);
    if (found != nullptr)
        freeaddrinfo(found);
    if (rc != 0) {
        throw UserError(fmt::format("cannot resolve host '{}': {}", url.host, gai_strerror(rc)),
                        fmt::format("in URL {}", url.text),
                        "the agent's host must resolve the URL too; use an address it can reach");
    }
}

// Sleeps until the monotonic clock reads `instant`, or `stop` is requested.
void sleep_until(std::uint64_t instant, const StopSignal& stop) {
    while (!stop.stop_requested()) {
        std::uint64_t now = monotonic_ns();
        if (now >= instant)
            return;
        std::this_thread::sleep_for(
            std::chrono::nanoseconds(std::min(instant - now, k_wait_slice_ns)));
    }
}

}  // namespace

struct AgentLoads::Slot {
    std::string name;
    LoadSettings settings;
    StopSignal stop;
    LoadProgress progress;
    bool started = false;  // guarded by AgentLoads::m_mutex
};

AgentLoads::AgentLoads() = default;

AgentLoads::~AgentLoads() {
    cancel_all();
}

std::shared_ptr<AgentLoads::Slot> AgentLoads::find(const JsonField& request) const {
    const std::string name = request["load"].as_string();
    std::lock_guard lock(m_mutex);
    auto found = m_slots.find(name);
    if (found == m_slots.end()) {
        throw UserError(fmt::format("no load named '{}' is prepared on this agent", name), "",
                        "send load_prepare first; a finished load is forgotten");
    }
    return found->second;
}

void AgentLoads::forget(const std::string& name) {
    std::lock_guard lock(m_mutex);
    m_slots.erase(name);
}

json AgentLoads::prepare(const JsonField& request) {
    auto slot = std::make_shared<Slot>();
    slot->name = request["load"].as_string();
    slot->settings = from_load_document(request["document"]).settings;
    validate_load_settings(slot->settings, LoadSettingNames::keys());
    resolve_host(slot->settings.url);
    check_load_cpus(slot->settings);  // load.cpus names CPUs of this host
    std::lock_guard lock(m_mutex);
    if (m_closed)
        throw UserError("the agent is shutting down", "", "");
    if (!m_slots.emplace(slot->name, slot).second) {
        throw UserError(fmt::format("a load named '{}' is already prepared", slot->name), "",
                        "give each load its own name");
    }
    return json::object();
}

json AgentLoads::start(const JsonField& request) {
    std::shared_ptr<Slot> slot = find(request);
    const std::uint64_t start_at = request["start_at_ns"].as_unsigned();
    {
        std::lock_guard lock(m_mutex);
        if (slot->started)
            throw UserError(fmt::format("load '{}' has started already", slot->name), "", "");
        slot->started = true;
    }
    sleep_until(start_at, slot->stop);
    const std::uint64_t started = monotonic_ns();
    try {
        LoadResult result = run_load(slot->settings, slot->stop, &slot->progress);
        const std::uint64_t finished = monotonic_ns();
        forget(slot->name);
        return {{"document", to_load_document(slot->settings, result)},
                {"timeline_latency", timeline_latency_to_json(result.timeline)},
                {"started_ns", started},
                {"finished_ns", finished},
                {"late_ns", started > start_at ? started - start_at : 0}};
    } catch (...) {
        forget(slot->name);
        throw;
    }
}

json AgentLoads::cancel(const JsonField& request) {
    std::shared_ptr<Slot> slot = find(request);
    slot->stop.request_stop();
    std::lock_guard lock(m_mutex);
    if (!slot->started)
        m_slots.erase(slot->name);  // never to start: a start request would find nothing
    return json::object();
}

json AgentLoads::progress(const JsonField& request) const {
    std::shared_ptr<Slot> slot = find(request);
    return {{"completed", slot->progress.completed.load()},
            {"failed", slot->progress.failed.load()},
            {"measuring", slot->progress.measuring.load()}};
}

void AgentLoads::cancel_all() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    for (auto& [name, slot] : m_slots)
        slot->stop.request_stop();
}

}  // namespace benchctl
