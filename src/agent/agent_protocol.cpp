#include "agent/agent_protocol.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <benchctl/version.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "util/json_field.hpp"

namespace benchctl {

namespace {

using nlohmann::json;

double to_seconds(std::chrono::nanoseconds duration) {
    return std::chrono::duration<double>(duration).count();
}

std::chrono::nanoseconds from_seconds(double seconds) {
    return std::chrono::nanoseconds(std::llround(seconds * 1e9));
}

// In the order of ReadinessKind.
constexpr const char* k_readiness_kinds[] = {"tcp", "http", "log"};

}  // namespace

unsigned announced_protocol_version() {
    const char* text = std::getenv(k_test_protocol_variable);
    if (text == nullptr || *text == '\0')
        return k_agent_protocol_version;
    unsigned version = 0;
    const char* end = text + std::strlen(text);
    const auto [at, error] = std::from_chars(text, end, version);
    return error == std::errc() && at == end ? version : k_agent_protocol_version;
}

json hello_to_json(const AgentHello& hello) {
    return {
        {"event", "hello"},
        {"protocol", hello.protocol},
        {"benchctl", {{"version", hello.benchctl_version}, {"git_revision", hello.git_revision}}},
        {"host", to_json(hello.host)},
        {"pid", hello.pid}};
}

AgentHello hello_from_json(const JsonField& field) {
    AgentHello hello;
    hello.protocol = field["protocol"].as_unsigned<unsigned>();
    if (const std::optional<JsonField> tool = field.find("benchctl")) {
        hello.benchctl_version = tool->get_or("version", std::string());
        hello.git_revision = tool->get_or("git_revision", std::string());
    }
    if (const std::optional<JsonField> host = field.find("host"))
        hello.host = host_info_from_json(*host);
    hello.pid = field.get_or("pid", std::uint64_t{0});
    return hello;
}

AgentHello local_hello() {
    AgentHello hello;
    hello.protocol = announced_protocol_version();
    hello.benchctl_version = k_version;
    hello.git_revision = k_git_revision;
    hello.host = probe_host();
    hello.pid = static_cast<std::uint64_t>(getpid());
    return hello;
}

json launch_spec_to_json(const LaunchSpec& spec) {
    return {{"argv", spec.argv},
            {"shell", spec.shell ? json(*spec.shell) : json(nullptr)},
            {"cwd", spec.cwd},
            {"env", spec.env},
            {"cpus", spec.cpus}};
}

LaunchSpec launch_spec_from_json(const JsonField& field) {
    LaunchSpec spec;
    spec.argv = field["argv"].as_string_list();
    const JsonField shell = field["shell"];
    if (!shell.is_null())
        spec.shell = shell.as_string();
    spec.cwd = field["cwd"].as_string();
    spec.env = field["env"].as_string_map();
    if (const std::optional<JsonField> cpus = field.find("cpus")) {
        for (const JsonField& cpu : cpus->elements())
            spec.cpus.push_back(cpu.as_unsigned<unsigned>());
    }
    return spec;
}

json readiness_to_json(const ReadinessSpec& spec) {
    return {{"kind", k_readiness_kinds[static_cast<int>(spec.kind)]},
            {"http_path", spec.http_path},
            {"expected_status", spec.expected_status},
            {"log_pattern", spec.log_pattern},
            {"timeout_sec", to_seconds(spec.timeout)}};
}

ReadinessSpec readiness_from_json(const JsonField& field) {
    ReadinessSpec spec;
    spec.kind = static_cast<ReadinessKind>(field["kind"].as_choice({"tcp", "http", "log"}));
    spec.http_path = field["http_path"].as_string();
    spec.expected_status = field["expected_status"].as_unsigned<std::uint16_t>();
    spec.log_pattern = field["log_pattern"].as_string();
    spec.timeout = from_seconds(field["timeout_sec"].as_double());
    return spec;
}

json ready_outcome_to_json(const ReadyOutcome& outcome) {
    return {{"ready", outcome.ready},
            {"waited_sec", to_seconds(outcome.waited)},
            {"reason", outcome.reason}};
}

ReadyOutcome ready_outcome_from_json(const JsonField& field) {
    ReadyOutcome outcome;
    outcome.ready = field["ready"].as_bool();
    outcome.waited = from_seconds(field["waited_sec"].as_double());
    outcome.reason = field["reason"].as_string();
    return outcome;
}

json exit_status_to_json(const std::optional<ExitStatus>& status) {
    if (!status)
        return nullptr;
    return {{"code", status->code}, {"signal", status->signal}};
}

std::optional<ExitStatus> exit_status_from_json(const JsonField& field) {
    if (field.is_null())
        return std::nullopt;
    ExitStatus status;
    status.code = field["code"].as_unsigned<std::uint8_t>();
    status.signal = field["signal"].as_unsigned<std::uint8_t>();
    return status;
}

json stop_report_to_json(const StopReport& report) {
    return {{"graceful", report.graceful},
            {"killed", report.killed},
            {"root_status", exit_status_to_json(report.root_status)}};
}

StopReport stop_report_from_json(const JsonField& field) {
    StopReport report;
    report.graceful = field["graceful"].as_bool();
    report.killed = field["killed"].as_unsigned<unsigned>();
    report.root_status = exit_status_from_json(field["root_status"]);
    return report;
}

json resource_usage_to_json(const ResourceUsage& usage) {
    return {{"cpu_seconds", usage.cpu_seconds},
            {"average_cpu_percent", usage.average_cpu_percent},
            {"peak_rss_bytes", usage.peak_rss_bytes},
            {"samples", usage.samples},
            {"wall_seconds", usage.wall_seconds}};
}

ResourceUsage resource_usage_from_json(const JsonField& field) {
    ResourceUsage usage;
    usage.cpu_seconds = field["cpu_seconds"].as_double();
    usage.average_cpu_percent = field["average_cpu_percent"].as_double();
    usage.peak_rss_bytes = field["peak_rss_bytes"].as_unsigned();
    usage.samples = field["samples"].as_unsigned();
    usage.wall_seconds = field["wall_seconds"].as_double();
    return usage;
}

ProcessTracking process_tracking_from_json(const JsonField& field) {
    return field.as_choice({"cgroup", "scan"}) == 0 ? ProcessTracking::cgroup
                                                    : ProcessTracking::scan;
}

json service_config_to_json(const ServiceConfig& config) {
    json settings = json::array();
    for (const auto& [name, value] : config.settings)
        settings.push_back({name, value});
    return {{"kind", service_kind_name(config.kind)},
            {"settings", settings},
            {"keep_data", config.keep_data},
            {"databases", config.databases},
            {"user", config.user},
            {"password", config.password ? json(*config.password) : json(nullptr)},
            {"upstream", config.upstream},
            {"ready_timeout_sec", to_seconds(config.ready_timeout)},
            {"stop_grace_sec", to_seconds(config.stop_grace)}};
}

ServiceConfig service_config_from_json(const JsonField& field) {
    ServiceConfig config;
    const JsonField kind = field["kind"];
    const std::optional<ServiceKind> known = service_kind_from_name(kind.as_string());
    if (!known) {
        throw UserError(fmt::format("unknown service kind '{}'", kind.as_string()), kind.path(),
                        "the coordinator and the agent disagree on the kinds: update benchctl");
    }
    config.kind = *known;
    for (const JsonField& setting : field["settings"].elements()) {
        const std::vector<std::string> pair = setting.as_string_list();
        if (pair.size() != 2)
            throw UserError("a setting must be [name, value]", setting.path(), "");
        config.settings.emplace_back(pair[0], pair[1]);
    }
    config.keep_data = field["keep_data"].as_bool();
    config.databases = field["databases"].as_string_list();
    config.user = field["user"].as_string();
    if (const JsonField password = field["password"]; !password.is_null())
        config.password = password.as_string();
    config.upstream = field["upstream"].as_string();
    config.ready_timeout = from_seconds(field["ready_timeout_sec"].as_double());
    config.stop_grace = from_seconds(field["stop_grace_sec"].as_double());
    return config;
}

json error_to_json(const UserError& error) {
    return {{"what", error.what()}, {"where", error.where()}, {"hint", error.hint()}};
}

UserError error_from_json(const JsonField& field) {
    return UserError(field["what"].as_string(), field.get_or("where", std::string()),
                     field.get_or("hint", std::string()));
}

json timeline_latency_to_json(const std::vector<TimelineSecond>& timeline) {
    json seconds = json::array();
    for (const TimelineSecond& second : timeline) {
        json flat = json::array();
        for (const auto& [value, count] : second.latency_buckets) {
            flat.push_back(value);
            flat.push_back(count);
        }
        seconds.push_back(std::move(flat));
    }
    return seconds;
}

void read_timeline_latency(const JsonField& field, std::vector<TimelineSecond>& timeline) {
    const std::vector<JsonField> seconds = field.elements();
    if (seconds.size() != timeline.size()) {
        field.fail(fmt::format("has {} seconds, but the load's timeline has {}", seconds.size(),
                               timeline.size()));
    }
    for (std::size_t s = 0; s < seconds.size(); ++s) {
        const std::size_t size = seconds[s].size();
        if (size % 2 != 0)
            seconds[s].fail("must hold (value, count) pairs");
        std::vector<std::pair<std::uint64_t, std::uint64_t>>& buckets = timeline[s].latency_buckets;
        buckets.clear();
        for (std::size_t i = 0; i < size; i += 2)
            buckets.emplace_back(seconds[s].unsigned_at(i), seconds[s].unsigned_at(i + 1));
    }
}

}  // namespace benchctl
