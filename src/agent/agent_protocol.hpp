#pragma once

// The agent protocol's vocabulary (docs/hosts.md): its version, and the JSON form of every value
// that crosses it. The coordinator and the agent are the same binary, so each value has one
// writer and one reader, here.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "launch/process_tree.hpp"
#include "launch/readiness.hpp"
#include "launch/readiness_spec.hpp"
#include "launch/resource_usage.hpp"
#include "load/load_result.hpp"
#include "results/host_info.hpp"
#include "services/service_config.hpp"
#include "util/error.hpp"

namespace benchctl {

class JsonField;

// The protocol version this build speaks. A coordinator talks only to an agent that announces
// the same one; any change an older peer would misread (a renamed field, a new meaning) bumps it.
// 2: "service_start" and "service_stop" (a service of a known kind on the agent's host).
// 3: "load_progress" (a running load's live figures, for the coordinator's progress line), and
//    "poll" answers the tree's CPU time (cpu_us, for a remote target's settle step), and a
//    launch spec carries its CPU affinity (cpus), and load_start answers each second's latency
//    histogram (timeline_latency).
inline constexpr unsigned k_agent_protocol_version = 3;

// For tests only: an agent started with this variable set to a number announces that protocol
// version instead of its own, so that the coordinator's version check can be exercised without
// a second build. Nothing else reads it.
inline constexpr const char* k_test_protocol_variable = "BENCHCTL_TEST_AGENT_PROTOCOL";

// The version an agent announces in its hello: k_agent_protocol_version, or the test override
// when k_test_protocol_variable holds a number.
unsigned announced_protocol_version();

// What an agent says first, before any request (the "hello" event).
struct AgentHello {
    unsigned protocol = 0;
    std::string benchctl_version;  // k_version of the agent's binary
    std::string git_revision;
    HostInfo host;  // the agent's machine: CPU model, cores, memory, kernel (results' HostInfo)
    std::uint64_t pid = 0;
};

// The hello event: {"event": "hello", "protocol": .., "benchctl": {..}, "host": {..}, "pid": ..}.
nlohmann::json hello_to_json(const AgentHello& hello);
// Reads a hello event. Only "protocol" is required: the version check must work against any
// other version's hello, whatever else it holds.
AgentHello hello_from_json(const JsonField& field);

// This process's hello: the announced protocol, its version, probe_host(), getpid().
AgentHello local_hello();

// LaunchSpec without its log_path: an agent keeps a tree's log in its own session directory and
// streams it back ("log" events), so the coordinator's path means nothing on the agent's host.
nlohmann::json launch_spec_to_json(const LaunchSpec& spec);
// Throws UserError naming the field when it is missing or mistyped (as every *_from_json here).
LaunchSpec launch_spec_from_json(const JsonField& field);

nlohmann::json readiness_to_json(const ReadinessSpec& spec);
ReadinessSpec readiness_from_json(const JsonField& field);

nlohmann::json ready_outcome_to_json(const ReadyOutcome& outcome);
ReadyOutcome ready_outcome_from_json(const JsonField& field);

// null for nullopt.
nlohmann::json exit_status_to_json(const std::optional<ExitStatus>& status);
std::optional<ExitStatus> exit_status_from_json(const JsonField& field);

nlohmann::json stop_report_to_json(const StopReport& report);
StopReport stop_report_from_json(const JsonField& field);

nlohmann::json resource_usage_to_json(const ResourceUsage& usage);
ResourceUsage resource_usage_from_json(const JsonField& field);

// "cgroup" or "scan" back to the enum.
ProcessTracking process_tracking_from_json(const JsonField& field);

// A service of a known kind as "service_start" carries it: {kind, settings: [[name, value]...],
// keep_data, databases, user, password (null: none), upstream, ready_timeout_sec,
// stop_grace_sec}; its variables already filled in by the coordinator.
nlohmann::json service_config_to_json(const ServiceConfig& config);
ServiceConfig service_config_from_json(const JsonField& field);

// A failed request's "error" member: the UserError's what, where and hint.
nlohmann::json error_to_json(const UserError& error);
UserError error_from_json(const JsonField& field);

// load_start's "timeline_latency": each second's latency histogram of `timeline`
// (TimelineSecond::latency_buckets), one flat array [value_us, count, value_us, count ...] per
// second, so that the coordinator merges the agents' seconds exactly.
nlohmann::json timeline_latency_to_json(const std::vector<TimelineSecond>& timeline);
// Reads them into `timeline` (the seconds of the load document of the same answer). Throws
// UserError when the number of seconds differs or an array is not (value, count) pairs.
void read_timeline_latency(const JsonField& field, std::vector<TimelineSecond>& timeline);

}  // namespace benchctl
