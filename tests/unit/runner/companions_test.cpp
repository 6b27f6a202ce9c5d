// Companions (target.companions) in a fake world: started after the target is ready on
// ${app_port}, each ready on the cell's ${port}, sampled apart from the target over the load,
// stopped before it; a companion that is not ready or dies fails the cell, and nothing outlives
// it. The nginx kind's generated configuration, without a process.

#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

#include "runner/cell_companions.hpp"
#include "runner_fakes.hpp"

using namespace benchctl;
using namespace benchctl::testing;

namespace {

Matrix proxied_matrix() {
    return matrix_from(R"(name: t
axes: {server: [a]}
target:
  command: [server, "${app_port}"]
  companions:
    proxy: {command: [proxy, "${port}", "${app_port}"], stop: {signal: INT, grace: 2s}}
    tap: {command: [tap, "${port}"], ready: {log: listening}}
load: {path: /}
)");
}

const CellRecord& the_record(const FakeWorld& world) {
    REQUIRE(world.observer.records.size() == 1);
    return world.observer.records.front();
}

}  // namespace

TEST_CASE("companions start in order once the target is ready on app_port, and stop before it") {
    FakeWorld world;
    world.run(proxied_matrix());
    CHECK(world.log.only({"start", "ready", "sample", "load", "stop"}) ==
          std::vector<std::string>{"start server", "ready server", "start proxy", "ready proxy",
                                   "start tap", "ready tap", "sample server", "sample proxy",
                                   "sample tap", "load /", "stop tap sig=15 grace=5s",
                                   "stop proxy sig=2 grace=2s", "stop server sig=15 grace=5s"});
    REQUIRE(world.launcher.started.size() == 3);
    // The cell's port goes to the companions, a second free port to the target.
    CHECK(world.launcher.started[0].argv == std::vector<std::string>{"server", "20001"});
    CHECK(world.launcher.started[1].argv == std::vector<std::string>{"proxy", "20000", "20001"});
    CHECK(world.launcher.started[1].log_path.find("/logs/a.proxy.log") != std::string::npos);
    REQUIRE(world.load.runs.size() == 1);
    CHECK(world.load.runs[0].url.text == "http://127.0.0.1:20000/");
    const CellRecord& record = the_record(world);
    CHECK(record.status == CellStatus::done);
    CHECK(record.port == 20000);
    CHECK(record.app_port == 20001);
    REQUIRE(record.companions.size() == 2);
    CHECK(record.companions[0].name == "proxy");
    CHECK(record.companions[0].kind == "command");
    CHECK(record.companions[1].name == "tap");
    CHECK(record.companions[0].resources.cpu_seconds == Approx(2.0));
    CHECK(world.launcher.live == 0);
    // Written and read back with the companions apart from the target.
    const CellRecord written = world.cell("cells/a.json");
    CHECK(written.app_port == 20001);
    REQUIRE(written.companions.size() == 2);
    CHECK(written.companions[1].name == "tap");
}

TEST_CASE("a companion that is never ready fails the cell with its log, and nothing is left") {
    FakeWorld world;
    world.launcher.scripts["proxy"].ready = false;
    world.launcher.scripts["proxy"].output = "bind() to 127.0.0.1:20000 failed";
    world.run(proxied_matrix());
    const CellRecord& record = the_record(world);
    CHECK(record.status == CellStatus::failed);
    CHECK(record.failure_reason ==
          "companion 'proxy' is not ready: not ready after 30s (TCP connect: connection refused)");
    CHECK(record.log_tail == "bind() to 127.0.0.1:20000 failed");
    CHECK(world.log.only({"start tap", "load"}).empty());
    CHECK(world.log.only({"stop"}) ==
          std::vector<std::string>{"stop proxy sig=2 grace=2s", "stop server sig=15 grace=5s"});
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a companion that dies during the load fails the cell, keeping what was measured") {
    FakeWorld world;
    world.launcher.scripts["tap"].exit_after_polls = 1;
    world.load.behaviour = held_until_stopped();
    world.run(proxied_matrix());
    const CellRecord& record = the_record(world);
    CHECK(record.status == CellStatus::failed);
    CHECK(record.failure_reason == "companion 'tap' exited with code 3 during the load");
    CHECK(record.load.has_value());
    CHECK(record.companions.size() == 2);
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a companion that cannot start fails the cell and the target still stops") {
    FakeWorld world;
    world.launcher.scripts["tap"].start_error = "no such program: tap";
    world.run(proxied_matrix());
    const CellRecord& record = the_record(world);
    CHECK(record.status == CellStatus::failed);
    CHECK(record.failure_reason.find("no such program: tap") != std::string::npos);
    CHECK(world.log.only({"load"}).empty());
    CHECK(world.launcher.live == 0);
}

TEST_CASE("an nginx companion listens on the cell's port and forwards to the target's") {
    Matrix matrix = matrix_from(R"(name: t
axes: {server: [a]}
target:
  command: [server, "${app_port}"]
  companions: {front: {kind: nginx, settings: {worker_processes: 2}}}
)");
    const CompanionSpec& spec = matrix.cells.at(0).target.companions.at(0);
    RuntimeValues values{8080, "/runs/r", "a", {}};
    values.app_port = 8081;
    const CompanionSite site = companion_site("/runs/r", "a", "front");
    CHECK(site.dir == "/runs/r/companions/a/front");
    CHECK(site.log_path == "/runs/r/logs/a.front.log");
    const ResolvedCompanion nginx = nginx_companion(spec, values, site, "/usr/sbin/nginx", false);
    CHECK(nginx.kind == "nginx");
    CHECK(nginx.target.launch.argv ==
          std::vector<std::string>{"/usr/sbin/nginx", "-p", "/runs/r/companions/a/front/", "-c",
                                   "/runs/r/companions/a/front/nginx.conf"});
    CHECK(nginx.target.ready.kind == ReadinessKind::http);
    CHECK(nginx.target.ready.expected_status == 204);
    CHECK(nginx.target.stop_signal == SIGQUIT);
    REQUIRE(nginx.files.size() == 1);
    const std::string& conf = nginx.files[0].second;
    CHECK(conf.find("listen 127.0.0.1:8080;") != std::string::npos);
    CHECK(conf.find("server 127.0.0.1:8081;") != std::string::npos);
    CHECK(conf.find("worker_processes 2;") != std::string::npos);
    CHECK(conf.find("access_log /runs/r/logs/a.front.access.log;") != std::string::npos);
    CHECK(conf.find("user root") == std::string::npos);
}

TEST_CASE("an nginx companion's upstream may name a Unix socket in the run directory") {
    Matrix matrix = matrix_from(R"(name: t
axes: {server: [a]}
target:
  shell: "exec server --socket ${run_dir}/app.sock"
  ready: {log: listening}
  companions: {front: {kind: nginx, upstream: "unix:${run_dir}/app.sock"}}
)");
    RuntimeValues values{8080, "/runs/r", "a", {}};
    values.app_port = 8081;
    const ResolvedCompanion nginx =
        nginx_companion(matrix.cells.at(0).target.companions.at(0), values,
                        companion_site("/runs/r", "a", "front"), "nginx", true);
    CHECK(nginx.files.at(0).second.find("server unix:/runs/r/app.sock;") != std::string::npos);
    CHECK(nginx.files.at(0).second.find("user root root;") != std::string::npos);
}

TEST_CASE("a second interrupt during the load stops the companions and the target without grace") {
    FakeWorld world;
    world.load.behaviour = interrupted_twice(world.control);
    world.run(proxied_matrix());
    CHECK(the_record(world).status == CellStatus::interrupted);
    CHECK(world.log.only({"stop"}) == std::vector<std::string>{"stop tap sig=15 grace=0s",
                                                               "stop proxy sig=2 grace=0s",
                                                               "stop server sig=15 grace=0s"});
    CHECK(world.launcher.live == 0);
}
