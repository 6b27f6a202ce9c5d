// run_cell()'s steps in a fake world: the settle step on a scripted CPU, the target's warm-up on
// the fake clock, the warnings recorded with the figures, and the version probe's timeout.

#include "runner/cell_runner.hpp"

#include <catch2/catch.hpp>

#include "runner_fakes.hpp"

using namespace benchctl;
using namespace benchctl::testing;

namespace {

// CPU time of a tree that burns `busy_percent` of a core until `until` seconds, then idles.
std::function<std::chrono::microseconds(double)> busy_until(double until, double busy_percent) {
    return [=](double elapsed) {
        const double seconds =
            std::min(elapsed, until) * busy_percent / 100 + std::max(0.0, elapsed - until) * 0.01;
        return std::chrono::microseconds(static_cast<std::int64_t>(seconds * 1e6));
    };
}

const CellRecord& only_record(const FakeWorld& world) {
    REQUIRE(world.observer.records.size() == 1);
    return world.observer.records.front();
}

}  // namespace

TEST_CASE("the settle step waits until a window shows the target quiet, then loads") {
    FakeWorld world;
    world.launcher.scripts["server"].cpu = busy_until(3.2, 180);
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"], settle: {cpu_below: 5%, window: 1s, timeout: 30s}}
)"));
    const CellRecord& record = only_record(world);
    REQUIRE(record.settle.has_value());
    CHECK(record.settle->settled);
    // Windows [0,1) [1,2) [2,3) [3,4) are busy (the last still 20% busy); [4,5) is quiet.
    CHECK(record.settle->seconds == Approx(5.0));
    CHECK(record.settle->cpu_percent == Approx(1.0));
    CHECK(record.settle->below_percent == 5);
    CHECK(record.status == CellStatus::done);
    CHECK(world.load.runs.size() == 1);
}

TEST_CASE("a target still busy at the settle timeout is measured, and flagged not_settled") {
    FakeWorld world;
    world.launcher.scripts["server"].cpu = busy_until(1000, 90);
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"], settle: {cpu_below: 10, window: 2s, timeout: 5s}}
)"));
    const CellRecord& record = only_record(world);
    REQUIRE(record.settle.has_value());
    CHECK_FALSE(record.settle->settled);
    CHECK(record.settle->seconds == Approx(5.0));  // windows of 2 s, 2 s, then the last 1 s
    CHECK(record.settle->cpu_percent == Approx(90.0));
    CHECK(record.status == CellStatus::done);
    REQUIRE_FALSE(record.warnings.empty());
    CHECK(record.warnings.front().code == "not_settled");
}

TEST_CASE("a target that exits while settling fails its cell before any load") {
    FakeWorld world;
    world.launcher.scripts["server"].cpu = busy_until(1000, 90);
    world.launcher.scripts["server"].exit_after_polls = 2;
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"], settle: {}}
)"));
    const CellRecord& record = only_record(world);
    CHECK(record.status == CellStatus::failed);
    CHECK(record.failure_reason == "the target exited with code 3 while settling");
    CHECK(world.load.runs.empty());
    CHECK(world.launcher.live == 0);
}

TEST_CASE("the target's warm-up is waited on the clock before the load") {
    FakeWorld world;
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"], warmup: 3s}
)"));
    CHECK(only_record(world).warmup_seconds == Approx(3.0));
    CHECK(world.clock.elapsed() == Approx(3.0));
}

TEST_CASE("a cell that completed no request is done but recorded as suspect") {
    FakeWorld world;
    world.load.behaviour = [](const LoadSettings&, const StopSignal&) {
        LoadResult result = steady_result(0, 10);
        result.requests.started = 40;
        result.requests.failed = 40;
        result.errors.connect = 40;
        return result;
    };
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"]}
)"));
    const CellRecord record = world.cell("cells/a.json");
    CHECK(record.status == CellStatus::done);
    REQUIRE_FALSE(record.warnings.empty());
    CHECK(record.warnings.front().code == "no_requests");
    CHECK(record.warnings.front().severity == WarningSeverity::suspect);
    CHECK(record.warnings.front().message.find("40 failed: 40 connect") != std::string::npos);
}

TEST_CASE("the cell records the CPUs and the load client's own CPU per thread") {
    FakeWorld world;
    world.launcher.cpus = 2;
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"], cpus: "1"}
load: {cpus: "0"}
)"));
    const CellRecord record = world.cell("cells/a.json");
    CHECK(record.target_cpus == std::vector<unsigned>{1});
    CHECK(record.load_cpus == std::vector<unsigned>{0});
    REQUIRE(record.client_threads.size() == 2);
    CHECK(record.client_threads[0].busy_fraction() == Approx(0.5));
    CHECK(world.launcher.started.front().cpus == std::vector<unsigned>{1});
    CHECK(world.load.runs.front().cpus == std::vector<unsigned>{0});
    // Pinned apart: no shared_cores note even on two CPUs.
    CHECK(record.warnings.empty());
}

TEST_CASE("a version command that hangs is killed after 10 s of the clock, with a warning") {
    FakeWorld world;
    world.launcher.scripts["version-tool"].exit_after_polls = 1000000;
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"], version: [version-tool, --version]}
)"));
    CHECK(world.clock.elapsed() == Approx(10.0));
    CHECK(world.log.only({"stop version-tool"}) ==
          std::vector<std::string>{"stop version-tool sig=9 grace=0s"});
    REQUIRE_FALSE(world.observer.notes.empty());
    CHECK(world.observer.notes.front().find("did not finish within 10s") != std::string::npos);
    CHECK(world.manifest().tool_versions.at("a") ==
          "tail of runs/r/logs/a.version.log (the version command did not finish within 10s)");
}

TEST_CASE("a version command resolves beside a target that uses ${app_port} and a service") {
    FakeWorld world;
    world.launcher.scripts["version-tool"].exit_code = 0;
    world.launcher.scripts["version-tool"].output = "server 1.2";
    world.run(matrix_from(R"(name: t
services: {cache: {command: [cache, "${port}"]}}
axes: {server: [a]}
target:
  command: [server, "${app_port}", "${cache.port}"]
  version: [version-tool, --version]
  companions: {proxy: {command: [proxy, "${port}"]}}
)"));
    CHECK(world.observer.notes.empty());
    CHECK(world.manifest().tool_versions.at("a") == "server 1.2");
}
