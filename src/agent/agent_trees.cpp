#include "agent/agent_trees.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "agent/agent_protocol.hpp"
#include "agent/base64.hpp"
#include "launch/process_tree.hpp"
#include "launch/readiness.hpp"
#include "launch/resource_sampler.hpp"
#include "util/cpu_list.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto k_stream_interval = 100ms;
// One log event carries at most this many bytes (64 KiB once in base64) ...
constexpr std::size_t k_log_chunk = 48 * 1024;
// ... and one round of streaming at most this many per tree, so that a tree writing its log
// flat out cannot hold the others' back.
constexpr std::size_t k_log_round = 1024 * 1024;
constexpr std::size_t k_max_tree_name = 100;

// A tree's name becomes a file name on the agent's host: letters, digits, '.', '_', '-'.
void check_tree_name(const std::string& name) {
    bool ok = !name.empty() && name.size() <= k_max_tree_name && name[0] != '.';
    for (char c : name) {
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-');
    }
    if (!ok) {
        throw UserError(fmt::format("'{}' is not a valid tree name", name), "launch request",
                        "use 1 to 100 letters, digits, '.', '_' or '-', not starting with '.'");
    }
}

// target.cpus name CPUs of this host, which validation on the coordinator could not check.
void check_cpus_here(const std::vector<unsigned>& cpus) {
    const long unusable = first_unusable_cpu(cpus);
    if (unusable < 0)
        return;
    throw UserError(fmt::format("CPU {} of target.cpus ({}) is not available on this host",
                                unusable, format_cpu_list(cpus)),
                    "", fmt::format("use CPUs of {}", format_cpu_list(usable_cpus())));
}

}  // namespace

struct AgentTrees::Slot {
    std::string name;
    std::string log_path;
    std::mutex use;  // one request at a time on the tree
    std::optional<ProcessTree> tree;
    std::optional<ManagedService> service;  // instead of `tree`: a service of a known kind
    std::unique_ptr<ResourceSampler> sampler;
    std::atomic<bool> give_up_wait{false};  // ends a readiness wait: the tree is being stopped
    std::atomic<bool> hurry{false};         // ends a stop's grace: the agent is tearing down
    std::mutex log_mutex;        // one reader of the log at a time, so chunks stay in order
    std::uint64_t log_sent = 0;  // bytes of the log already streamed
    std::atomic<bool> streaming{false};
};

// The slot's tree; throws when its launch failed (a request that raced with it), or when it
// is a service (whose tree ManagedService owns and stops).
ProcessTree& AgentTrees::started(Slot& slot) {
    if (!slot.tree)
        throw UserError(fmt::format("tree '{}' did not start as a command", slot.name), "",
                        "use service_stop for a service");
    return *slot.tree;
}

// The processes to sample: the command's tree, or the service's server.
const ProcessTree& AgentTrees::sampled(Slot& slot) {
    if (slot.service)
        return slot.service->tree();
    return started(slot);
}

AgentTrees::AgentTrees(std::string log_dir, MessageSink& sink, std::string run_dir)
    : m_log_dir(std::move(log_dir)), m_run_dir(std::move(run_dir)), m_sink(sink) {
    m_streamer = std::thread([this] { stream_logs(); });
}

AgentTrees::~AgentTrees() {
    tear_down();
}

std::shared_ptr<AgentTrees::Slot> AgentTrees::find(const JsonField& request) const {
    const std::string name = request["tree"].as_string();
    std::lock_guard lock(m_mutex);
    auto found = m_slots.find(name);
    if (found == m_slots.end()) {
        throw UserError(fmt::format("no tree named '{}' is running on this agent", name), "",
                        "launch it first; a stopped tree is forgotten");
    }
    return found->second;
}

std::shared_ptr<AgentTrees::Slot> AgentTrees::reserve(const std::string& name) {
    check_tree_name(name);
    auto slot = std::make_shared<Slot>();
    slot->name = name;
    slot->log_path = m_log_dir + "/" + name + ".log";
    std::lock_guard lock(m_mutex);
    if (m_closed)
        throw UserError("the agent is shutting down", "", "");
    if (!m_slots.emplace(name, slot).second) {
        throw UserError(fmt::format("a tree named '{}' is already running on this agent", name), "",
                        "stop it first, or give the new one another name");
    }
    return slot;
}

void AgentTrees::forget(const std::shared_ptr<Slot>& slot) {
    std::lock_guard lock(m_mutex);
    auto found = m_slots.find(slot->name);
    if (found != m_slots.end() && found->second == slot)
        m_slots.erase(found);
}

json AgentTrees::launch(const JsonField& request) {
    std::shared_ptr<Slot> slot = reserve(request["tree"].as_string());
    std::unique_lock use(slot->use);
    LaunchSpec spec;
    std::optional<ReadinessSpec> readiness;
    std::uint16_t port = 0;
    try {
        spec = launch_spec_from_json(request["spec"]);
        if (std::optional<JsonField> ready = request.find("ready"))
            readiness = readiness_from_json(*ready);
        port = request.get_or("port", std::uint16_t{0});
        spec.log_path = slot->log_path;
        check_cpus_here(spec.cpus);
        std::remove(slot->log_path.c_str());  // a tree of the same name may have run before
        slot->tree.emplace(ProcessTree::start(spec));
    } catch (...) {
        use.unlock();
        forget(slot);
        throw;
    }
    slot->log_sent = slot->tree->log_start_offset();
    slot->streaming = true;
    json result = {{"pid", slot->tree->root()},
                   {"tracking", process_tracking_name(slot->tree->tracking())},
                   {"ready", nullptr}};
    if (readiness) {
        ReadyOutcome outcome =
            wait_until_ready(*slot->tree, *readiness, port, slot->log_path, slot->give_up_wait);
        result["ready"] = ready_outcome_to_json(outcome);
        // A tree that never became ready is explained by its log: all of it so far comes
        // before the answer.
        flush_log(*slot, true);
    }
    return result;
}

json AgentTrees::poll(const JsonField& request) {
    std::shared_ptr<Slot> slot = find(request);
    std::lock_guard use(slot->use);
    ProcessTree& tree = started(*slot);
    std::optional<ExitStatus> exit = tree.poll_exit();
    if (exit)
        flush_log(*slot, true);  // its last words, before the answer that says it ended
    return {{"exit", exit_status_to_json(exit)},
            {"members", tree.members().size()},
            {"cpu_us", tree_cpu_time(tree).count()}};
}

json AgentTrees::sample_start(const JsonField& request) {
    std::shared_ptr<Slot> slot = find(request);
    const auto interval = std::chrono::milliseconds(request["interval_ms"].as_unsigned());
    std::lock_guard use(slot->use);
    if (slot->sampler)
        throw UserError(fmt::format("tree '{}' is already sampled", slot->name), "", "");
    slot->sampler = std::make_unique<ResourceSampler>(sampled(*slot), std::max(interval, 10ms));
    slot->sampler->start();
    return json::object();
}

json AgentTrees::sample_finish(const JsonField& request) {
    std::shared_ptr<Slot> slot = find(request);
    std::lock_guard use(slot->use);
    if (!slot->sampler)
        throw UserError(fmt::format("tree '{}' is not sampled", slot->name), "", "");
    ResourceUsage usage = slot->sampler->finish();
    slot->sampler.reset();
    return {{"usage", resource_usage_to_json(usage)}};
}

json AgentTrees::stop(const JsonField& request) {
    std::shared_ptr<Slot> slot = find(request);
    const int signal = request["signal"].as_unsigned<std::uint8_t>();
    const double grace_sec = request["grace_sec"].as_double();
    slot->give_up_wait = true;  // a readiness wait still running gives the tree up
    std::lock_guard use(slot->use);
    ProcessTree& tree = started(*slot);
    if (slot->sampler)
        slot->sampler->finish();
    slot->sampler.reset();
    StopReport report = tree.stop(
        signal, std::chrono::nanoseconds(static_cast<std::int64_t>(grace_sec * 1e9)), &slot->hurry);
    slot->streaming = false;
    flush_log(*slot, true);
    forget(slot);
    return stop_report_to_json(report);
}

void AgentTrees::start_managed(Slot& slot, const JsonField& request) {
    const ServiceConfig config = service_config_from_json(request["config"]);
    ServiceLaunch launch;
    launch.name = request["service"].as_string();
    launch.port = request["port"].as_unsigned<std::uint16_t>();
    launch.address = request["address"].as_string();
    launch.run_dir = m_run_dir;
    launch.log_path = slot.log_path;
    launch.cancel = &slot.give_up_wait;  // tear_down() cuts a start short
    std::remove(slot.log_path.c_str());
    // initdb's output streams while it runs: the log is the tree's from its first byte.
    slot.log_sent = 0;
    slot.streaming = true;
    slot.service.emplace(ManagedService::start(config, launch));
}

json AgentTrees::service_start(const JsonField& request) {
    std::shared_ptr<Slot> slot = reserve(request["tree"].as_string());
    std::unique_lock use(slot->use);
    try {
        start_managed(*slot, request);
    } catch (...) {
        slot->streaming = false;
        flush_log(*slot, true);  // why it failed, before the answer that says so
        use.unlock();
        forget(slot);
        throw;
    }
    flush_log(*slot, true);
    const ManagedService& service = *slot->service;
    return {{"pid", service.tree().root()},
            {"tracking", process_tracking_name(service.tree().tracking())},
            {"variables", service.variables()},
            {"version", service.version()},
            {"data", service.data_location()}};
}

json AgentTrees::service_stop(const JsonField& request) {
    std::shared_ptr<Slot> slot = find(request);
    const bool hurry = request["hurry"].as_bool();
    slot->give_up_wait = true;  // a start still running (initdb, readiness) is cut short
    std::lock_guard use(slot->use);
    if (!slot->service && !slot->tree)
        return json::object();  // its start was cut short: nothing is left of it
    if (!slot->service)
        throw UserError(fmt::format("tree '{}' is not a service", slot->name), "",
                        "use stop for a command's tree");
    if (slot->sampler)
        slot->sampler->finish();
    slot->sampler.reset();
    slot->service->stop(hurry, &slot->hurry);
    slot->streaming = false;
    flush_log(*slot, true);
    forget(slot);
    return json::object();
}

void AgentTrees::tear_down() {
    std::map<std::string, std::shared_ptr<Slot>> slots;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed && !m_streamer.joinable())
            return;
        m_closed = true;
        slots.swap(m_slots);
    }
    for (auto& [name, slot] : slots) {
        slot->give_up_wait = true;
        slot->hurry = true;
    }
    for (auto& [name, slot] : slots) {
        std::lock_guard use(slot->use);
        if (slot->sampler)
            slot->sampler->finish();
        slot->sampler.reset();
        if (slot->tree)
            slot->tree->stop(SIGKILL, 0ns);
        if (slot->service)
            slot->service->stop(true);  // SIGKILL, and its data removed
        slot->streaming = false;
        flush_log(*slot, true);
    }
    m_wake.notify_all();
    if (m_streamer.joinable())
        m_streamer.join();
}

void AgentTrees::stream_logs() {
    std::unique_lock lock(m_mutex);
    while (!m_closed) {
        m_wake.wait_for(lock, k_stream_interval);
        std::vector<std::shared_ptr<Slot>> slots;
        for (auto& [name, slot] : m_slots)
            slots.push_back(slot);
        lock.unlock();
        for (auto& slot : slots) {
            if (slot->streaming)
                flush_log(*slot, false);
        }
        lock.lock();
    }
}

// Sends what the log gained since the last call, in chunks; at most k_log_round per call unless
// `everything` (the tree has ended: the stop answer must follow the whole log).
void AgentTrees::flush_log(Slot& slot, bool everything) {
    std::lock_guard lock(slot.log_mutex);
    FILE* file = std::fopen(slot.log_path.c_str(), "rb");
    if (file == nullptr)
        return;
    const bool all = everything;
    std::size_t sent_now = 0;
    std::string chunk(k_log_chunk, '\0');
    while ((all || sent_now < k_log_round) &&
           fseeko(file, static_cast<off_t>(slot.log_sent), SEEK_SET) == 0) {
        std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file);
        if (n == 0)
            break;
        m_sink.write({{"event", "log"},
                      {"tree", slot.name},
                      {"offset", slot.log_sent},
                      {"data", encode_base64(std::string_view(chunk.data(), n))}});
        slot.log_sent += n;
        sent_now += n;
    }
    std::fclose(file);
}

}  // namespace benchctl
