// agent_driver PLAN.json: drives agents through the coordinator API of src/agent/ (the one the
// runner calls), for the integration tests of tests/integration/test_agents.py and for
// bench/agents.py. Not a user command: until the runner places targets and loads on hosts, it is
// how a test connects to agents (exec or ssh), launches trees on them, runs a load split over
// them and prints everything as one JSON document on stdout.
//
// The plan (JSON):
//   {"agents": [{"name": "a", "exec": ["benchctl", "agent"], "weight": 1},
//               {"name": "b", "ssh": {"address": "10.0.0.2", "user": "root", "port": 22,
//                                     "identity": "key", "options": ["K=V"], "benchctl": "",
//                                     "copy_binary": false}}],
//    "local_binary": "/path/to/benchctl",      (what --copy-binary copies)
//    "trees": [{"agent": "b", "name": "t", "argv": [...], "log": "/tmp/t.log",
//               "ready": {"kind": "tcp", "timeout_sec": 5}, "port": 8000}],
//    "hold_sec": 0,                            (pause once the trees are ready)
//    "load": {"url": "http://...", "threads": 1, "connections": 4, "duration_sec": 2,
//             "requests": 1000, "rate_per_sec": 100, "timeout_sec": 2, "warmup_requests": 10}}
// Progress lines go to stderr ("agent_driver: load starting"); exit 0, or 2 with
// "agent_driver: error: <message>" when an agent fails.

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent/agent_client.hpp"
#include "agent/distributed_load.hpp"
#include "agent/exec_transport.hpp"
#include "agent/remote_tree.hpp"
#include "agent/ssh_transport.hpp"
#include "load/url.hpp"
#include "results/load_document.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

namespace {

using nlohmann::json;
using namespace benchctl;

void progress(const std::string& line) {
    fmt::print(stderr, "agent_driver: {}\n", line);
    std::fflush(stderr);
}

SshHost read_ssh_host(const std::string& name, const JsonField& field) {
    SshHost host;
    host.name = name;
    host.address = field["address"].as_string();
    host.user = field.get_or("user", std::string());
    host.port = field.get_or("port", std::uint16_t{0});
    host.identity_file = field.get_or("identity", std::string());
    host.options = field.get_or("options", std::vector<std::string>{});
    host.benchctl = field.get_or("benchctl", std::string());
    host.copy_binary = field.get_or("copy_binary", false);
    return host;
}

std::unique_ptr<AgentClient> connect(const JsonField& agent, const std::string& local_binary) {
    const std::string name = agent["name"].as_string();
    if (std::optional<JsonField> ssh = agent.find("ssh"))
        return connect_ssh_agent(read_ssh_host(name, *ssh), local_binary);
    return connect_exec_agent(name, agent["exec"].as_string_list(), "check the exec command");
}

ReadinessSpec read_readiness(const JsonField& field) {
    ReadinessSpec spec;
    spec.kind = static_cast<ReadinessKind>(field["kind"].as_choice({"tcp", "http", "log"}));
    spec.http_path = field.get_or("http_path", std::string("/"));
    spec.log_pattern = field.get_or("log_pattern", std::string());
    spec.timeout = std::chrono::milliseconds(
        static_cast<std::int64_t>(field.get_or("timeout_sec", 10.0) * 1000));
    return spec;
}

LoadSettings read_load(const JsonField& field) {
    LoadSettings settings;
    settings.url = parse_url(field["url"].as_string(), "load.url");
    settings.threads = field.get_or("threads", 1u);
    settings.connections = field.get_or("connections", 10u);
    settings.timeout = std::chrono::milliseconds(
        static_cast<std::int64_t>(field.get_or("timeout_sec", 2.0) * 1000));
    if (field.has("requests")) {
        settings.stop_rule = StopRule::requests;
        settings.total_requests = field["requests"].as_unsigned();
    } else if (field.has("iterations")) {
        settings.stop_rule = StopRule::iterations;
        settings.iterations = field["iterations"].as_unsigned();
    } else {
        settings.duration = std::chrono::milliseconds(
            static_cast<std::int64_t>(field.get_or("duration_sec", 1.0) * 1000));
    }
    if (field.has("rate_per_sec"))
        settings.rate_per_sec = field["rate_per_sec"].as_double();
    if (field.has("warmup_requests"))
        settings.warmup.requests = field["warmup_requests"].as_unsigned();
    validate_load_settings(settings, LoadSettingNames::keys());
    return settings;
}

json agent_report_json(const AgentLoadReport& report) {
    return {{"name", report.agent},
            {"connections", report.settings.connections},
            {"threads", report.settings.threads},
            {"document", to_load_document(report.settings, report.result)},
            {"offset_ns", report.clock.offset_ns},
            {"rtt_ns", report.clock.rtt_ns},
            {"start_skew_ns", report.start_skew_ns},
            {"late_ns", report.late_ns}};
}

json run_load_over(const JsonField& plan,
                   const std::map<std::string, std::unique_ptr<AgentClient>>& clients) {
    const LoadSettings settings = read_load(plan["load"]);
    std::vector<LoadAgent> agents;
    for (const JsonField& agent : plan["agents"].elements()) {
        agents.push_back(
            {clients.at(agent["name"].as_string()).get(), agent.get_or("weight", 1.0)});
    }
    StopSignal stop;
    progress("load starting");
    DistributedLoadResult result = run_distributed_load(agents, settings, stop);
    json out = {{"merged", to_load_document(result.settings, result.merged)},
                {"overhead",
                 {{"clock_ms", result.overhead.clock_ms},
                  {"prepare_ms", result.overhead.prepare_ms},
                  {"margin_ms", result.overhead.margin_ms},
                  {"collect_ms", result.overhead.collect_ms},
                  {"merge_ms", result.overhead.merge_ms}}},
                {"agents", json::array()}};
    for (const AgentLoadReport& report : result.agents)
        out["agents"].push_back(agent_report_json(report));
    return out;
}

int drive(const std::string& plan_path) {
    std::ifstream file(plan_path);
    const json document = json::parse(file);
    const JsonField plan(document, plan_path, "see tests/tools/agent_driver.cpp");
    const std::string local_binary = plan.get_or("local_binary", std::string());
    json out = {
        {"hellos", json::object()}, {"connect_ms", json::object()}, {"trees", json::object()}};

    std::map<std::string, std::unique_ptr<AgentClient>> clients;
    for (const JsonField& agent : plan["agents"].elements()) {
        const std::uint64_t begun = monotonic_ns();
        auto client = connect(agent, local_binary);
        const std::string name = client->name();
        out["connect_ms"][name] = static_cast<double>(monotonic_ns() - begun) / 1e6;
        out["hellos"][name] = hello_to_json(client->hello());
        progress("connected " + name);
        clients.emplace(name, std::move(client));
    }
    std::vector<RemoteTree> trees;
    if (std::optional<JsonField> listed = plan.find("trees")) {
        for (const JsonField& tree : listed->elements()) {
            LaunchSpec spec;
            spec.argv = tree["argv"].as_string_list();
            spec.log_path = tree["log"].as_string();
            std::optional<ReadinessSpec> ready;
            if (std::optional<JsonField> readiness = tree.find("ready"))
                ready = read_readiness(*readiness);
            const std::string name = tree["name"].as_string();
            trees.push_back(RemoteTree::launch(*clients.at(tree["agent"].as_string()), name, spec,
                                               ready, tree.get_or("port", std::uint16_t{0})));
            out["trees"][name] = {
                {"pid", trees.back().root()},
                {"ready", trees.back().ready() ? trees.back().ready()->ready : true},
                {"members", trees.back().member_count()}};
        }
        progress("trees ready");
    }
    if (const double hold = plan.get_or("hold_sec", 0.0); hold > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(hold * 1000)));
    if (plan.has("load"))
        out["load"] = run_load_over(plan, clients);
    for (RemoteTree& tree : trees) {
        StopReport report = tree.stop(SIGTERM, std::chrono::seconds(2));
        out["trees"][tree.name()]["graceful"] = report.graceful;
    }
    trees.clear();
    for (auto& [name, client] : clients)
        client->close();
    progress("done");
    fmt::print("{}\n", out.dump());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        fmt::print(stderr, "usage: agent_driver PLAN.json\n");
        return 2;
    }
    try {
        return drive(argv[1]);
    } catch (const UserError& error) {
        fmt::print(stderr, "agent_driver: error: {}\n", error.message());
        return 2;
    } catch (const std::exception& error) {
        fmt::print(stderr, "agent_driver: internal error: {}\n", error.what());
        return 3;
    }
}
