// A target shared by the cells (target.scope: run) in a fake world: started once, ready once,
// sampled per cell, stopped once at the end, on an interrupt, and restarted after it died.

#include <catch2/catch.hpp>
#include <thread>

#include "runner/matrix_runner.hpp"
#include "runner_fakes.hpp"

using namespace benchctl;
using namespace benchctl::testing;

namespace {

// k_pool's shape with a command companion in front of the shared target.
const char* const k_pool_with_proxy = R"(name: t
axes: {scenario: [a, b]}
target:
  command: [pool, "${app_port}"]
  scope: run
  companions: {front: {command: [proxy, "${port}", "${app_port}"]}}
load: {path: "/${scenario}"}
)";

const char* const k_pool = R"(name: t
axes: {scenario: [a, b, c]}
target: {command: [pool, "${port}"], scope: run, warmup: 2s}
load: {path: "/${scenario}"}
repeat: 2
)";

}  // namespace

TEST_CASE("a shared target is started and made ready once, sampled per cell, stopped once") {
    FakeWorld world;
    RunSummary summary = world.run(matrix_from(k_pool));
    CHECK(summary.done == 6);
    CHECK(world.log.only({"start", "ready", "sample", "load", "stop"}) ==
          std::vector<std::string>{"start pool", "ready pool", "sample pool", "load /a",
                                   "sample pool", "load /b", "sample pool", "load /c",
                                   "sample pool", "load /a", "sample pool", "load /b",
                                   "sample pool", "load /c", "stop pool sig=15 grace=5s"});
    const CellRecord first = world.cell("cells/a.rep1.json");
    const CellRecord later = world.cell("cells/c.rep2.json");
    CHECK(first.shared_target);
    CHECK(later.shared_target);
    CHECK(later.port == first.port);
    CHECK(later.command == std::vector<std::string>{"pool", std::to_string(first.port)});
    CHECK(later.resources.has_value());
    CHECK(first.warmup_seconds == 2.0);  // the warm-up once, on the first cell
    CHECK(later.warmup_seconds == 0.0);
    CHECK(later.log_file == "logs/shared-target.log");
    CHECK(world.launcher.live == 0);
}

TEST_CASE("an interrupt during a cell on a shared target stops it once and ends the run") {
    FakeWorld world;
    world.load.behaviour = [&](const LoadSettings& settings, const StopSignal& stop) {
        if (settings.url.target == "/b") {
            world.control.interrupt();
            while (!stop.stop_requested())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return steady_result(100, 1);
    };
    RunSummary summary = world.run(matrix_from(k_pool));
    CHECK(summary.status == RunStatus::interrupted);
    CHECK(world.log.only({"start", "stop"}) ==
          std::vector<std::string>{"start pool", "stop pool sig=15 grace=5s"});
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a shared target that dies fails its cell and is started afresh for the next") {
    FakeWorld world;
    world.launcher.scripts["pool"].exit_after_polls = 1;
    world.load.behaviour = held_until_stopped("/a");
    const Matrix matrix = matrix_from(R"(name: t
axes: {scenario: [a, b]}
target: {command: [pool, "${port}"], scope: run}
load: {path: "/${scenario}"}
)");
    world.run(matrix);
    CHECK(world.cell("cells/a.json").status == CellStatus::failed);
    CHECK(world.log.only({"start", "stop"}) ==
          std::vector<std::string>{"start pool", "stop pool sig=15 grace=5s", "start pool",
                                   "stop pool sig=15 grace=5s"});
    CHECK(world.launcher.live == 0);
}

TEST_CASE("cells whose shared targets differ run one instance at a time") {
    FakeWorld world;
    const Matrix matrix = matrix_from(R"(name: t
axes:
  server:
    - {name: x, target: {command: [pool-x, "${port}"]}}
    - {name: y, target: {command: [pool-y, "${port}"]}}
  scenario: [a, b]
target: {scope: run}
load: {path: "/${scenario}"}
)");
    world.run(matrix);
    CHECK(world.log.only({"start", "stop"}) ==
          std::vector<std::string>{"start pool-x", "stop pool-x sig=15 grace=5s", "start pool-y",
                                   "stop pool-y sig=15 grace=5s"});
}

TEST_CASE("a shared target's companions start once in front of it and stop before it") {
    FakeWorld world;
    RunSummary summary = world.run(matrix_from(k_pool_with_proxy));
    CHECK(summary.done == 2);
    CHECK(world.log.only({"start", "load", "stop"}) ==
          std::vector<std::string>{"start pool", "start proxy", "load /a", "load /b",
                                   "stop proxy sig=15 grace=5s", "stop pool sig=15 grace=5s"});
    const CellRecord first = world.cell("cells/a.json");
    const CellRecord second = world.cell("cells/b.json");
    CHECK(second.shared_target);
    CHECK(second.port == first.port);
    CHECK(second.app_port == first.app_port);
    CHECK(second.app_port != second.port);
    REQUIRE(second.companions.size() == 1);  // sampled over this cell's load too
    CHECK(second.companions[0].name == "front");
    REQUIRE(world.launcher.started.size() == 2);
    CHECK(world.launcher.started[1].argv ==
          std::vector<std::string>{"proxy", std::to_string(first.port),
                                   std::to_string(first.app_port)});
    CHECK(world.launcher.started[1].log_path.ends_with("/runs/r/logs/shared.front.log"));
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a shared target's companion that exits fails its cell; the pair starts afresh") {
    FakeWorld world;
    world.launcher.scripts["proxy"].exit_after_polls = 2;
    world.load.behaviour = held_until_stopped("/a");
    RunSummary summary = world.run(matrix_from(k_pool_with_proxy));
    const CellRecord first = world.cell("cells/a.json");
    CHECK(first.status == CellStatus::failed);
    CHECK(first.failure_reason.find("companion 'front' exited") != std::string::npos);
    CHECK(world.log.only({"start"}) ==
          std::vector<std::string>{"start pool", "start proxy", "start pool", "start proxy"});
    CHECK(world.launcher.live == 0);
}
