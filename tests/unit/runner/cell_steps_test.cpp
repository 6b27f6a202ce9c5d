// Per-cell before steps and after checks (matrix `before:` and `after:`) in a fake world: their
// order around the load, checks judged with the cell's own figures, and failures that keep the
// cell's measurements.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "runner/cell_checks.hpp"
#include "runner/matrix_runner.hpp"
#include "runner_fakes.hpp"

using namespace benchctl;
using namespace benchctl::testing;

namespace {

// Two cells; before each load a table is truncated, after it the rows are counted (the fake
// load answers 1000 requests with 200).
const char* const k_steps = R"yaml(name: t
services:
  db: {command: [db, "${port}"]}
before:
  - {name: truncate, command: [psql, "${db.port}", "truncate ${cell}"]}
after:
  - name: rows
    command: [count-rows, "${cell}"]
    expect: {output: "${cell.status.200}"}
axes: {server: [a, b]}
target: {command: [server, "${port}"]}
)yaml";

void script_steps(FakeWorld& world, const std::string& rows) {
    world.launcher.scripts["psql"].exit_code = 0;
    world.launcher.scripts["count-rows"].exit_code = 0;
    world.launcher.scripts["count-rows"].output = rows;
}

}  // namespace

TEST_CASE("before steps run after the target is ready and before the load; checks after it") {
    FakeWorld world;
    script_steps(world, "1000\n");
    RunSummary summary = world.run(matrix_from(k_steps));
    CHECK(world.log.only(
              {"cell ", "ready server", "start psql", "load", "start count-rows", "stop server"}) ==
          std::vector<std::string>{"cell 1/2 a", "ready server", "start psql", "load /",
                                   "start count-rows", "stop server sig=15 grace=5s", "cell 2/2 b",
                                   "ready server", "start psql", "load /", "start count-rows",
                                   "stop server sig=15 grace=5s"});
    CHECK(summary.done == 2);
    CHECK(world.launcher.started[2].argv ==
          std::vector<std::string>{"psql", "20000", "truncate a"});
    CHECK(world.launcher.started[2].log_path == "runs/r/logs/a.before-truncate.log");
    const CellRecord record = world.cell("cells/a.json");
    REQUIRE(record.checks.size() == 1);
    CHECK(record.checks[0] == CheckRecord{"rows", true, "1000", "1000", ""});
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a failed check fails the cell with expected and actual, and keeps its measurements") {
    FakeWorld world;
    script_steps(world, "999");
    RunSummary summary = world.run(matrix_from(k_steps));
    CHECK(summary.failed == 2);
    const CellRecord record = world.cell("cells/a.json");
    CHECK(record.status == CellStatus::failed);
    CHECK(record.failure_reason == "check 'rows' failed: expected \"1000\", got \"999\"");
    REQUIRE(record.load.has_value());
    CHECK((*record.load)["requests"]["completed"] == 1000);
    CHECK(record.resources.has_value());
    REQUIRE(record.checks.size() == 1);
    CHECK_FALSE(record.checks[0].passed);
    REQUIRE_FALSE(record.warnings.empty());
    CHECK(record.warnings.back().code == "failed_check");
    CHECK(world.manifest().cells[0].status == EntryStatus::failed);
    CHECK(world.manifest().cells[0].reason == record.failure_reason);
}

TEST_CASE("a before step that fails fails its cell before the load; the run goes on") {
    FakeWorld world;
    script_steps(world, "1000");
    world.launcher.scripts["psql"].exit_code = 1;
    world.launcher.scripts["psql"].output = "ERROR: relation does not exist";
    RunSummary summary = world.run(matrix_from(k_steps));
    CHECK(world.log.only({"load"}).empty());
    CHECK(summary.failed == 2);
    const CellRecord record = world.cell("cells/a.json");
    CHECK(record.failure_reason == "before step 'truncate' failed: it exited with code 1");
    CHECK(record.log_tail == "ERROR: relation does not exist");
    CHECK_FALSE(record.load.has_value());
    CHECK(world.log.only({"stop server"}).size() == 2);
    CHECK(world.launcher.live == 0);
}

TEST_CASE("an HTTP check compares a JSON value and a status with the cell's figures") {
    FakeWorld world;
    world.http.replies["GET /count"] = {200, R"({"count": 1000})", "", ""};
    world.http.replies["GET /stats"] = {503, "busy", "", ""};
    const Matrix matrix = matrix_from(R"(name: t
after:
  - {name: count, http: {url: "http://127.0.0.1:${port}/count"},
     expect: {json: "$.count", equals: "${cell.completed}"}}
  - {name: stats, http: {url: "http://127.0.0.1:${port}/stats"}, expect: {status: 200}}
axes: {server: [a]}
target: {command: [server, "${port}"]}
)");
    world.run(matrix);
    const CellRecord record = world.cell("cells/a.json");
    REQUIRE(record.checks.size() == 2);
    CHECK(record.checks[0] == CheckRecord{"count", true, "1000", "1000", ""});
    CHECK_FALSE(record.checks[1].passed);
    CHECK(record.checks[1].expected == "200");
    CHECK(record.checks[1].actual == "503");
    CHECK(record.failure_reason == "check 'stats' failed: expected \"200\", got \"503\"");
    CHECK(world.log.only({"http"}) ==
          std::vector<std::string>{"http GET /count", "http GET /stats"});
}

TEST_CASE("a cell that failed during its load runs no after check") {
    FakeWorld world;
    script_steps(world, "1000");
    world.launcher.scripts["server"].exit_after_polls = 1;
    world.load.behaviour = [](const LoadSettings&, const StopSignal& stop) {
        while (!stop.stop_requested())
            std::this_thread::sleep_for(1ms);
        return steady_result(10, 1);
    };
    world.run(matrix_from(k_steps));
    CHECK(world.log.only({"start count-rows"}).empty());
    CHECK(world.cell("cells/a.json").checks.empty());
}

TEST_CASE("a cell's figures: completed, failed and the count of every status") {
    const nlohmann::json load = {{"requests", {{"completed", 20}, {"failed", 2}}},
                                 {"status_codes", {{"201", 18}, {"500", 2}}}};
    const Variables figures = cell_figures(load);
    CHECK(figures.at("cell.completed") == "20");
    CHECK(figures.at("cell.failed") == "2");
    CHECK(figures.at("cell.status.201") == "18");
    CHECK(figures.at("cell.status.404") == "0");
}
