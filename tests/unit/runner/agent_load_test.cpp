// A cell's load split over load.agents (runner/host_pool.hpp) in the fake world: the pool's
// merged result is the cell's load, each agent's part is kept, the hosts' fingerprints reach the
// manifest, and an agent that fails mid-cell fails the cell with its reason.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "agent/agent_client.hpp"
#include "runner/host_pool.hpp"
#include "runner_fakes.hpp"

using namespace benchctl;
using namespace benchctl::testing;

namespace {

// A service of a known kind "on" an ssh host: its variables as the agent would answer them
// (its host's address), its stop logged.
class ScriptedHostedService final : public HostedService {
  public:
    ScriptedHostedService(EventLog& log, std::string name, const std::string& address,
                          std::uint16_t port)
        : m_log(log), m_name(std::move(name)) {
        const std::string where = address + ":" + std::to_string(port);
        m_variables = {{"port", std::to_string(port)},
                       {"host", address},
                       {"url", "postgresql://benchctl:benchctl@" + where + "/app"}};
    }
    const std::map<std::string, std::string>& variables() const override { return m_variables; }
    const std::string& version() const override { return m_version; }
    const std::string& data_location() const override { return m_data; }
    void start_sampling() override { m_log.add("sample service " + m_name); }
    ResourceUsage finish_sampling() override { return {}; }
    void stop(bool hurry) override {
        m_log.add("stop service " + m_name + (hurry ? " in a hurry" : ""));
    }

  private:
    EventLog& m_log;
    std::string m_name;
    std::map<std::string, std::string> m_variables;
    std::string m_version = "postgres (PostgreSQL) 15.0";
    std::string m_data = "services/db/data";
};

// Scripted agents: each call splits the load by weight over its agents (completed requests in
// proportion) and returns their sum as the merge, or throws `failure` for the host it names.
// Trees on the ssh host "server1" start as the world's fake targets, logged as started there.
class ScriptedHostPool final : public HostPool {
  public:
    ScriptedHostPool(EventLog& log, TargetLauncher& launcher) : m_log(log), m_launcher(launcher) {}

    bool is_remote(const std::string& host) const override {
        return host == "server1" || host == "client1";
    }
    std::uint16_t free_port(const std::string& host) override {
        m_log.add("free port on " + host);
        return 31000;
    }
    std::unique_ptr<RunningTarget> start_tree(const std::string& host, const std::string& name,
                                              const LaunchSpec& spec,
                                              const std::optional<ReadinessSpec>&,
                                              std::uint16_t port) override {
        m_log.add("tree " + name + " on " + host + " port " + std::to_string(port) + " cwd '" +
                  spec.cwd + "'");
        return m_launcher.start(spec);
    }

    std::unique_ptr<HostedService> start_service(const std::string& host, const std::string& name,
                                                 const ServiceConfig& config, std::uint16_t port,
                                                 const std::string& address, const std::string&,
                                                 const std::atomic<bool>&) override {
        m_log.add("service " + name + " of kind " + service_kind_name(config.kind) + " on " + host +
                  " port " + std::to_string(port) + " address " + address + " databases " +
                  (config.databases.empty() ? "-" : config.databases.front()));
        return std::make_unique<ScriptedHostedService>(m_log, name, address, port);
    }

    DistributedLoadResult run_load(const std::vector<LoadAgentSpec>& agents,
                                   const LoadSettings& settings, const StopSignal&,
                                   LoadProgress*) override {
        std::string names;
        double total_weight = 0;
        for (const LoadAgentSpec& agent : agents) {
            names += " " + agent.host + "x" + std::to_string(static_cast<int>(agent.weight));
            total_weight += agent.weight;
        }
        m_log.add("agents load " + settings.url.target + names);
        if (!failing_host.empty()) {
            throw AgentError(AgentError::Kind::lost,
                             "the connection to the agent dropped (ssh exited with code 255)",
                             "host '" + failing_host + "'", "");
        }
        DistributedLoadResult result;
        result.settings = settings;
        std::uint64_t sum = 0;
        for (const LoadAgentSpec& agent : agents) {
            const auto part = static_cast<std::uint64_t>(900 * agent.weight / total_weight);
            AgentLoadReport report;
            report.agent = agent.host;
            report.settings = settings;
            report.result = steady_result(part, 10);
            report.clock.offset_ns = 1234;
            report.clock.rtt_ns = 500;
            report.start_skew_ns = 42;
            result.agents.push_back(report);
            sum += part;
        }
        result.merged = steady_result(sum, 10);
        return result;
    }

    nlohmann::json fingerprints() const override {
        return {{"client1", {{"transport", "ssh"}, {"host", {{"cores", 8}}}}},
                {"server1", {{"transport", "ssh"}, {"host", {{"cores", 2}}}}}};
    }

    std::string failing_host;  // "": every load succeeds

  private:
    EventLog& m_log;
    TargetLauncher& m_launcher;
};

const char* const k_split_matrix = R"(name: t
hosts: {client1: {ssh: {address: 10.0.0.21}}, client2: {local: true}}
axes: {server: [a, b]}
target: {command: [server, "${port}"]}
load: {agents: [client1, {host: client2, weight: 2}], connections: 3, duration: 10s}
)";

}  // namespace

TEST_CASE("a cell with load.agents runs its load on the agents and keeps each one's part") {
    FakeWorld world;
    ScriptedHostPool pool(world.log, world.launcher);
    world.env.hosts = &pool;
    RunSummary summary = world.run(matrix_from(k_split_matrix));
    CHECK(summary.done == 2);
    CHECK(world.load.runs.empty());  // nothing ran in this process
    CHECK(world.log.only({"agents load", "load"}) ==
          std::vector<std::string>{"agents load / client1x1 client2x2",
                                   "agents load / client1x1 client2x2"});
    const CellRecord cell = world.cell("cells/a.json");
    REQUIRE(cell.load);
    CHECK((*cell.load)["requests"]["completed"] == 900);
    REQUIRE(cell.agents);
    REQUIRE(cell.agents->size() == 2);
    CHECK((*cell.agents)[0]["host"] == "client1");
    CHECK((*cell.agents)[0]["load"]["requests"]["completed"] == 300);
    CHECK((*cell.agents)[1]["host"] == "client2");
    CHECK((*cell.agents)[1]["load"]["requests"]["completed"] == 600);
    CHECK((*cell.agents)[1]["clock_offset_ns"] == 1234);
    CHECK((*cell.agents)[1]["start_skew_ns"] == 42);
    const RunManifest manifest = world.manifest();
    REQUIRE(manifest.hosts);
    CHECK((*manifest.hosts)["client1"]["transport"] == "ssh");
}

TEST_CASE("an agent that fails mid-cell fails the cell with its host and reason") {
    FakeWorld world;
    ScriptedHostPool pool(world.log, world.launcher);
    pool.failing_host = "client2";
    world.env.hosts = &pool;
    RunSummary summary = world.run(matrix_from(k_split_matrix));
    CHECK(summary.failed == 2);
    const CellRecord cell = world.cell("cells/a.json");
    CHECK(cell.status == CellStatus::failed);
    CHECK(cell.failure_reason.find("the connection to the agent dropped") != std::string::npos);
    CHECK(cell.failure_reason.find("host 'client2'") != std::string::npos);
    CHECK_FALSE(cell.agents);
    CHECK(world.launcher.live == 0);  // the target was stopped all the same
}

TEST_CASE("a cell without load.agents runs its load here even when hosts are connected") {
    FakeWorld world;
    ScriptedHostPool pool(world.log, world.launcher);
    world.env.hosts = &pool;
    world.run(matrix_from(R"(name: t
hosts: {client1: {local: true}}
axes: {server: [a]}
target: {command: [server, "${port}"]}
)"));
    CHECK(world.log.only({"agents load", "load"}) == std::vector<std::string>{"load /"});
    CHECK_FALSE(world.cell("cells/a.json").agents);
}

TEST_CASE("a target on an ssh host starts through its agent, on a port free there") {
    FakeWorld world;
    world.launcher.scripts["version-tool"].exit_code = 0;
    world.launcher.scripts["version-tool"].output = "server 9.9 on server1";
    ScriptedHostPool pool(world.log, world.launcher);
    world.env.hosts = &pool;
    RunSummary summary = world.run(matrix_from(R"(name: t
hosts: {server1: {ssh: {address: 10.0.0.10}}, client1: {local: true}}
axes: {server: [a]}
target: {command: [server, "${port}"], host: server1, version: [version-tool, "${target.host}"]}
load: {url: "http://${target.host}:${port}/x", agents: [client1]}
)"));
    CHECK(summary.done == 1);
    // The version command runs on the target's host too, through its agent, before the cell.
    CHECK(world.log.only({"free port", "tree", "start", "agents load", "stop"}) ==
          std::vector<std::string>{"tree version-a-0 on server1 port 0 cwd ''",
                                   "start version-tool", "stop version-tool sig=9 grace=0s",
                                   "free port on server1",
                                   "tree target-a-1 on server1 port 31000 cwd ''", "start server",
                                   "agents load /x client1x1", "stop server sig=15 grace=5s"});
    REQUIRE(world.launcher.started.size() == 2);
    CHECK(world.launcher.started[0].argv == std::vector<std::string>{"version-tool", "10.0.0.10"});
    CHECK(world.launcher.started[1].argv == std::vector<std::string>{"server", "31000"});
    CHECK(world.manifest().tool_versions.at("a") == "server 9.9 on server1");
    const CellRecord cell = world.cell("cells/a.json");
    CHECK(cell.port == 31000);
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a target on a local host starts here as always") {
    FakeWorld world;
    ScriptedHostPool pool(world.log, world.launcher);
    world.env.hosts = &pool;
    world.run(matrix_from(R"(name: t
hosts: {here: {local: true}}
axes: {server: [a]}
target: {command: [server, "${port}"], host: here}
)"));
    CHECK(world.log.only({"free port", "tree"}).empty());
    REQUIRE(world.launcher.started.size() == 1);
    CHECK(world.launcher.started[0].argv == std::vector<std::string>{"server", "20000"});
}

TEST_CASE("a command service on an ssh host starts through its agent; its host is that address") {
    FakeWorld world;
    ScriptedHostPool pool(world.log, world.launcher);
    world.env.hosts = &pool;
    RunSummary summary = world.run(matrix_from(R"(name: t
hosts: {server1: {ssh: {address: 10.0.0.10}}}
services:
  api: {command: [api, "${port}"], ready: {tcp: true}, host: server1}
axes: {server: [a]}
target: {command: [server, "${port}", "${api.host}:${api.port}"]}
)"));
    CHECK(summary.done == 1);
    CHECK(world.log.only({"free port", "tree"}) ==
          std::vector<std::string>{"free port on server1",
                                   "tree service-api on server1 port 31000 cwd ''"});
    REQUIRE(world.launcher.started.size() == 2);
    CHECK(world.launcher.started[1].argv ==
          std::vector<std::string>{"server", "20000", "10.0.0.10:31000"});
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a postgres service on an ssh host starts through its agent; its url names that host") {
    FakeWorld world;
    ScriptedHostPool pool(world.log, world.launcher);
    world.env.hosts = &pool;
    RunSummary summary = world.run(matrix_from(R"(name: t
hosts: {server1: {ssh: {address: 10.0.0.10}}}
services:
  db: {kind: postgres, databases: [app], host: server1}
axes: {server: [a]}
target: {command: [server, "${port}", "${db.url}", "${db.host}"]}
)"));
    CHECK(summary.done == 1);
    CHECK(world.log.only({"free port", "service", "stop service"}) ==
          std::vector<std::string>{
              "free port on server1",
              "service db of kind postgres on server1 port 31000 address 10.0.0.10 databases app",
              "stop service db"});
    REQUIRE(world.launcher.started.size() == 1);
    CHECK(world.launcher.started[0].argv ==
          std::vector<std::string>{"server", "20000",
                                   "postgresql://benchctl:benchctl@10.0.0.10:31000/app",
                                   "10.0.0.10"});
    CHECK(world.launcher.live == 0);
}

namespace {

// The codes of the warnings of the one cell of `matrix`, run on a 2-CPU machine.
std::vector<std::string> warning_codes_on_two_cpus(const std::string& matrix) {
    FakeWorld world;
    world.launcher.cpus = 2;
    ScriptedHostPool pool(world.log, world.launcher);
    world.env.hosts = &pool;
    world.run(matrix_from(matrix));
    std::vector<std::string> codes;
    for (const CellWarning& warning : world.cell("cells/a.json").warnings)
        codes.push_back(warning.code + (warning.message.find("host 'server1'") != std::string::npos
                                            ? " on server1"
                                            : ""));
    return codes;
}

}  // namespace

TEST_CASE("shared_cores is judged on the machine the load client and the target share, if any") {
    const char* const hosts = R"(name: t
hosts: {server1: {ssh: {address: 10.0.0.10}}, client1: {ssh: {address: 10.0.0.21}},
        here: {local: true}}
axes: {server: [a]}
)";
    // The target here, the load from an ssh host: two machines, nothing shared.
    CHECK(warning_codes_on_two_cpus(std::string(hosts) + R"(target: {command: [server, "${port}"]}
load: {agents: [client1]}
)")
              .empty());
    // The target on an ssh host, the load here: the same.
    CHECK(warning_codes_on_two_cpus(std::string(hosts) +
                                    R"(target: {command: [server, "${port}"], host: server1}
load: {url: "http://${target.host}:${port}/"}
)")
              .empty());
    // An agent of a local host beside the target here: this machine's two CPUs are shared.
    CHECK(warning_codes_on_two_cpus(std::string(hosts) + R"(target: {command: [server, "${port}"]}
load: {agents: [client1, here]}
)") == std::vector<std::string>{"shared_cores"});
    // An agent on the target's own ssh host (2 cores by its fingerprint): shared there.
    CHECK(warning_codes_on_two_cpus(std::string(hosts) +
                                    R"(target: {command: [server, "${port}"], host: server1}
load: {url: "http://${target.host}:${port}/", agents: [server1]}
)") == std::vector<std::string>{"shared_cores on server1"});
}

TEST_CASE("a shared target on an ssh host starts there once and serves every cell") {
    FakeWorld world;
    ScriptedHostPool pool(world.log, world.launcher);
    world.env.hosts = &pool;
    RunSummary summary = world.run(matrix_from(R"(name: t
hosts: {server1: {ssh: {address: 10.0.0.10}}, client1: {local: true}}
axes: {scenario: [a, b]}
target: {command: [pool, "${port}"], host: server1, scope: run}
load: {url: "http://${target.host}:${port}/${scenario}", agents: [client1]}
)"));
    CHECK(summary.done == 2);
    CHECK(world.log.only({"free port", "tree", "start", "agents load", "stop"}) ==
          std::vector<std::string>{
              "free port on server1", "tree shared-a-0 on server1 port 31000 cwd ''", "start pool",
              "agents load /a client1x1", "agents load /b client1x1", "stop pool sig=15 grace=5s"});
    CHECK(world.cell("cells/b.json").shared_target);
    CHECK(world.cell("cells/b.json").port == 31000);
    CHECK(world.launcher.live == 0);
}
