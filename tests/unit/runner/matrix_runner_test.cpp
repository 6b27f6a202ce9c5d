// run_matrix() in a fake world (runner_fakes.hpp): the order of what a run does, resume,
// failures, cooldowns, interrupts, services and a disk that fills up, without a process, a
// socket or a file.

#include "runner/matrix_runner.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "runner_fakes.hpp"
#include "util/error.hpp"

using namespace benchctl;
using namespace benchctl::testing;

namespace {

// Two servers, each its own command and path, two repetitions, a 2 s cooldown.
const char* const k_two_servers = R"(name: t
axes:
  server:
    - {name: a, target: {command: [server-a, "${port}"]}, load: {path: /a}}
    - {name: b, target: {command: [server-b, "${port}"]}, load: {path: /b}}
load: {duration: 10s}
repeat: 2
cooldown: 2s
)";

std::vector<std::string> statuses(const RunManifest& manifest) {
    std::vector<std::string> out;
    for (const ManifestEntry& entry : manifest.cells) {
        out.push_back(entry.cell_id + "." + std::to_string(entry.repetition) + "=" +
                      entry_status_name(entry.status));
    }
    return out;
}

}  // namespace

TEST_CASE("repetitions interleave: every cell once, then every cell again") {
    FakeWorld world;
    RunSummary summary = world.run(matrix_from(k_two_servers));
    CHECK(world.log.only({"cell ", "load "}) ==
          std::vector<std::string>{"cell 1/4 a", "load /a", "cell 2/4 b", "load /b", "cell 3/4 a",
                                   "load /a", "cell 4/4 b", "load /b"});
    CHECK(summary.done == 4);
    CHECK(summary.status == RunStatus::complete);
    CHECK(summary.resume_command.empty());
    CHECK(world.manifest().status == RunStatus::complete);
    CHECK(world.disk.has("runs/r/cells/a.rep2.json"));
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a cell runs start, ready, sample, load, stop, then its file and the manifest") {
    FakeWorld world;
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"], stop: {signal: INT, grace: 3s}}
)"));
    CHECK(world.log.only({"start", "ready", "sample", "load", "stop", "write runs/r/"}) ==
          std::vector<std::string>{
              "write runs/r/manifest.json (running)", "start server", "ready server",
              "sample server", "load /", "stop server sig=2 grace=3s", "write runs/r/cells/a.json",
              "write runs/r/manifest.json (running)", "write runs/r/manifest.json (complete)"});
}

TEST_CASE("the cooldown is slept between cells, not after the last one") {
    FakeWorld world;
    world.run(matrix_from(k_two_servers));
    CHECK(world.log.only({"sleep"}).empty());  // the fake clock logs no sleeps itself
    // Four cells, three cooldowns of 2 s: the clock moved by exactly that.
    CHECK(world.clock.elapsed() == Approx(6.0));
}

TEST_CASE("a target that cannot start fails its cell and the run goes on") {
    FakeWorld world;
    world.launcher.scripts["server-a"].start_error = "cannot start 'server-a': No such file";
    RunSummary summary = world.run(matrix_from(k_two_servers));
    CHECK(summary.failed == 2);
    CHECK(summary.done == 2);
    CHECK(statuses(world.manifest()) ==
          std::vector<std::string>{"a.1=failed", "b.1=done", "a.2=failed", "b.2=done"});
    const CellRecord failed = world.cell("cells/a.rep1.json");
    CHECK(failed.failure_reason == "cannot start 'server-a': No such file");
    CHECK(failed.log_tail == "tail of runs/r/logs/a.log");
    CHECK_FALSE(failed.load.has_value());
    CHECK(summary.resume_command.find("benchctl run --resume ") == 0);
}

TEST_CASE("a target that never becomes ready fails its cell with the reason, and is stopped") {
    FakeWorld world;
    world.launcher.scripts["server-b"].ready = false;
    world.run(matrix_from(k_two_servers));
    CHECK(world.cell("cells/b.rep1.json").failure_reason ==
          "not ready after 30s (TCP connect: connection refused)");
    CHECK(world.launcher.live == 0);
    CHECK(world.load.runs.size() == 2);  // a's two cells only
}

TEST_CASE("a target that dies during the load stops the load and fails the cell") {
    FakeWorld world;
    world.launcher.scripts["server-a"].exit_after_polls = 1;
    world.load.behaviour = held_until_stopped("/a");
    world.run(matrix_from(k_two_servers));
    const CellRecord record = world.cell("cells/a.rep1.json");
    CHECK(record.status == CellStatus::failed);
    CHECK(record.failure_reason == "the target exited with code 3 during the load");
    CHECK(record.load.has_value());  // what was measured until then is kept
}

TEST_CASE("an interrupt during a load stops the load, then the target, and ends the run") {
    FakeWorld world;
    world.load.behaviour = [&](const LoadSettings& settings, const StopSignal& stop) {
        if (settings.url.target == "/b") {
            world.control.interrupt();  // SIGINT arrives while b is loaded
            while (!stop.stop_requested())
                std::this_thread::sleep_for(1ms);
            LoadResult result = steady_result(10, 1);
            result.interrupted = true;
            return result;
        }
        return steady_result(1000, 10);
    };
    RunSummary summary = world.run(matrix_from(k_two_servers));
    CHECK(world.log.only({"load", "stop", "cell", "write runs/r/manifest"}) ==
          std::vector<std::string>{
              "write runs/r/manifest.json (running)", "cell 1/4 a", "load /a",
              "stop server-a sig=15 grace=5s", "write runs/r/manifest.json (running)", "cell 2/4 b",
              "load /b", "stop server-b sig=15 grace=5s", "write runs/r/manifest.json (running)",
              "write runs/r/manifest.json (interrupted)"});
    CHECK(summary.interrupted);
    CHECK(statuses(world.manifest()) ==
          std::vector<std::string>{"a.1=done", "b.1=interrupted", "a.2=pending", "b.2=pending"});
    CHECK(summary.resume_command.find("--resume") != std::string::npos);
    CHECK(world.clock.elapsed() == Approx(2.0));  // the cooldown after a; none after b
}

TEST_CASE("a second interrupt skips the grace period of the stop") {
    FakeWorld world;
    world.load.behaviour = interrupted_twice(world.control);
    world.run(matrix_from(k_two_servers));
    CHECK(world.log.only({"stop"}) == std::vector<std::string>{"stop server-a sig=15 grace=0s"});
}

TEST_CASE("an interrupt during the cooldown runs no further cell") {
    FakeWorld world;
    world.clock.on_sleep = [&](double elapsed) {
        if (elapsed >= 1.0)
            world.control.interrupt();
    };
    RunSummary summary = world.run(matrix_from(k_two_servers));
    CHECK(world.log.only({"cell"}) == std::vector<std::string>{"cell 1/4 a"});
    CHECK(summary.interrupted);
    CHECK(world.manifest().status == RunStatus::interrupted);
}

TEST_CASE("services start before the first cell and stop after the last, in reverse order") {
    FakeWorld world;
    world.run(matrix_from(R"(name: t
services:
  db: {command: [db, "${port}"]}
  cache: {command: [cache, "${port}"]}
axes: {server: [a]}
target: {command: [server, "${port}", "${db.port}", "${cache.port}"]}
)"));
    CHECK(world.log.only({"start", "stop", "load"}) ==
          std::vector<std::string>{"start db", "start cache", "start server", "load /",
                                   "stop server sig=15 grace=5s", "stop cache sig=15 grace=5s",
                                   "stop db sig=15 grace=5s"});
    // The target got the services' ports.
    REQUIRE(world.launcher.started.size() == 3);
    CHECK(world.launcher.started[2].argv ==
          std::vector<std::string>{"server", "20002", "20000", "20001"});
}

TEST_CASE("a service and a target are started pinned to their own CPUs, the load to its own") {
    FakeWorld world;
    world.run(matrix_from(R"(name: t
services:
  db: {command: [db, "${port}"], cpus: "1"}
axes: {server: [a]}
target: {command: [server, "${port}", "${db.port}"], cpus: "0"}
load: {cpus: "1"}
)"));
    REQUIRE(world.launcher.started.size() == 2);
    CHECK(world.launcher.started[0].cpus == std::vector<unsigned>{1});
    CHECK(world.launcher.started[1].cpus == std::vector<unsigned>{0});
    const CellRecord record = world.cell("cells/a.json");
    CHECK(record.target_cpus == std::vector<unsigned>{0});
    CHECK(record.load_cpus == std::vector<unsigned>{1});
}

TEST_CASE("a service that is not ready stops the ones started, and the manifest says why") {
    FakeWorld world;
    world.launcher.scripts["cache"].ready = false;
    const Matrix matrix = matrix_from(R"(name: t
services:
  db: {command: [db, "${port}"]}
  cache: {command: [cache, "${port}"]}
axes: {server: [a]}
target: {command: [server, "${port}"]}
)");
    CHECK_THROWS_AS(world.run(matrix), UserError);
    CHECK(world.log.only({"start", "stop"}) ==
          std::vector<std::string>{"start db", "start cache", "stop cache sig=15 grace=5s",
                                   "stop db sig=15 grace=5s"});
    const RunManifest manifest = world.manifest();
    CHECK(manifest.status == RunStatus::failed);
    CHECK(manifest.failure.find("service 'cache' is not ready") == 0);
    CHECK(world.launcher.live == 0);
}

TEST_CASE("an internal error still leaves a manifest that says failed, and why") {
    FakeWorld world;
    world.load.behaviour = [](const LoadSettings&, const StopSignal&) -> LoadResult {
        throw std::runtime_error("bug");
    };
    CHECK_THROWS_AS(world.run(matrix_from(k_two_servers)), std::runtime_error);
    CHECK(world.manifest().status == RunStatus::failed);
    CHECK(world.manifest().failure == "internal error: bug");
    CHECK(world.launcher.live == 0);
}

TEST_CASE("resuming: runs only the cells not done and keeps the ones done") {
    FakeWorld world;
    world.launcher.scripts["server-b"].start_error = "no b";
    world.run(matrix_from(k_two_servers));
    world.launcher.scripts.clear();
    world.log.lines.clear();
    RunOptions options;
    options.resume_dir = "runs/r";
    RunSummary summary = world.run(matrix_from(k_two_servers), options);
    CHECK(world.log.only({"cell"}) == std::vector<std::string>{"cell 2/4 b", "cell 4/4 b"});
    CHECK(summary.skipped == 2);
    CHECK(summary.done == 2);
    CHECK(statuses(world.manifest()) ==
          std::vector<std::string>{"a.1=done", "b.1=done", "a.2=done", "b.2=done"});
    // The failed attempts are kept, never overwritten.
    CHECK(world.disk.has("runs/r/cells/superseded/b.rep1.json.1"));
}

TEST_CASE("resuming: measures again a done cell whose file is truncated or not its own") {
    FakeWorld world;
    const Matrix matrix = matrix_from(k_two_servers);
    world.run(matrix);
    const std::string whole = world.disk.file("runs/r/cells/a.rep1.json");
    world.disk.put("runs/r/cells/a.rep1.json", whole.substr(0, whole.size() / 2));
    world.disk.put("runs/r/cells/b.rep2.json", world.disk.file("runs/r/cells/b.rep1.json"));
    world.log.lines.clear();
    RunOptions options;
    options.resume_dir = "runs/r";
    world.run(matrix, options);
    CHECK(world.log.only({"cell"}) == std::vector<std::string>{"cell 1/4 a", "cell 4/4 b"});
    REQUIRE(world.observer.notes.size() == 2);
    CHECK(world.observer.notes[0] ==
          "cell a (repetition 1) is measured again: cells/a.rep1.json is not valid JSON "
          "(truncated?)");
    CHECK(world.observer.notes[1] ==
          "cell b (repetition 2) is measured again: cells/b.rep2.json "
          "holds cell b repetition 1");
    CHECK(world.disk.has("runs/r/cells/superseded/a.rep1.json.1"));
    CHECK(world.cell("cells/a.rep1.json").status == CellStatus::done);
}

TEST_CASE("resuming: takes as done a whole cell file the manifest had not recorded yet") {
    FakeWorld world;
    const Matrix matrix = matrix_from(k_two_servers);
    world.run(matrix);
    // As after a kill -9 between the cell's file and the manifest: the entry still pending.
    nlohmann::json manifest = nlohmann::json::parse(world.disk.file("runs/r/manifest.json"));
    manifest["status"] = "running";
    manifest["cells"][3]["status"] = "pending";
    manifest["cells"][3]["file"] = "";
    world.disk.put("runs/r/manifest.json", manifest.dump());
    world.log.lines.clear();
    RunOptions options;
    options.resume_dir = "runs/r";
    world.run(matrix, options);
    CHECK(world.log.only({"cell"}).empty());
    CHECK(statuses(world.manifest()).back() == "b.2=done");
    REQUIRE(world.observer.notes.size() == 2);
    CHECK(world.observer.notes[0].find("was abandoned") != std::string::npos);
    CHECK(world.observer.notes[1] ==
          "cell b (repetition 2): cells/b.rep2.json was written but not recorded; it is kept "
          "as done");
}

TEST_CASE("resuming: refuses other --set or --only than the run's") {
    FakeWorld world;
    const Matrix matrix = matrix_from(k_two_servers);
    RunOptions first;
    first.only = {"server=a"};
    world.run(matrix, first);
    CHECK(world.manifest().only == std::vector<std::string>{"server=a"});
    RunOptions options;
    options.resume_dir = "runs/r";
    CHECK_THROWS_WITH(world.run(matrix, options),
                      Catch::Contains("the --only terms differ from the run in 'runs/r'"));
    options.only = {"server=a"};
    options.overrides = {"load.duration=1s"};
    CHECK_THROWS_WITH(world.run(matrix, options), Catch::Contains("the --set overrides differ"));
}

TEST_CASE("a second run on a locked directory is refused, naming the holder") {
    FakeWorld world;
    world.disk.make_directories("runs/r");
    auto other = world.disk.try_lock("runs/r/run.lock",
                                     R"({"pid": 4242, "host": "ci-7", "started_at": "T0"})");
    REQUIRE(other != nullptr);
    CHECK_THROWS_WITH(world.run(matrix_from(k_two_servers)),
                      Catch::Contains("another benchctl (pid 4242 on host ci-7, since T0) is "
                                      "writing the run in 'runs/r'"));
    CHECK_FALSE(world.disk.has("runs/r/manifest.json"));
    other.reset();
    CHECK_NOTHROW(world.run(matrix_from(k_two_servers)));
    CHECK_FALSE(world.disk.is_locked("runs/r/run.lock"));  // released when the run ends
}

TEST_CASE("a full disk keeps the cell's figures elsewhere, fails the run and says how to resume") {
    FakeWorld world;
    world.disk.full_for = {"runs/r/cells/b.rep1.json"};
    RunSummary summary = world.run(matrix_from(k_two_servers));
    CHECK(summary.storage_failed);
    CHECK(summary.status == RunStatus::failed);
    CHECK(world.log.only({"cell"}) == std::vector<std::string>{"cell 1/4 a", "cell 2/4 b"});
    REQUIRE_FALSE(summary.rescued.empty());
    CHECK(summary.rescued.find("benchctl-rescue-r/b.rep1.json") != std::string::npos);
    const CellRecord rescued = cell_record_from_json(
        nlohmann::json::parse(world.disk.file(summary.rescued)), summary.rescued);
    CHECK(rescued.status == CellStatus::done);
    CHECK(rescued.load.has_value());
    const RunManifest manifest = world.manifest();
    CHECK(manifest.status == RunStatus::failed);
    CHECK(manifest.failure.find("the result of cell b could not be written") == 0);
    CHECK(manifest.failure.find("benchctl run --resume ") != std::string::npos);
    CHECK(statuses(manifest) ==
          std::vector<std::string>{"a.1=done", "b.1=pending", "a.2=pending", "b.2=pending"});
    CHECK(world.launcher.live == 0);
}

TEST_CASE("with the disk full everywhere the document is printed, never lost") {
    FakeWorld world;
    world.disk.full_for = {"b.rep1.json"};
    RunSummary summary = world.run(matrix_from(k_two_servers));
    CHECK(summary.rescued.empty());
    REQUIRE_FALSE(world.observer.notes.empty());
    CHECK(world.observer.notes.back().find("\"cell\": \"b\"") != std::string::npos);
    CHECK(summary.failure.find("printed above") != std::string::npos);
}

TEST_CASE("a manifest that cannot be written after a full disk leaves the summary to tell") {
    FakeWorld world;
    world.load.behaviour = [&](const LoadSettings&, const StopSignal&) {
        world.disk.full_for = {"a.rep1.json", "manifest.json"};  // the disk fills during the load
        return steady_result(1000, 10);
    };
    RunSummary summary = world.run(matrix_from(k_two_servers));
    CHECK(summary.storage_failed);
    CHECK(summary.status == RunStatus::failed);
    CHECK(world.observer.notes.back().find("the manifest could not be updated either") == 0);
    // What is on disk says running: report and --resume will call the run abandoned.
    CHECK(world.manifest().status == RunStatus::running);
}

TEST_CASE("a cell stored whole before the manifest failed is kept, and the summary says so") {
    FakeWorld world;
    world.load.behaviour = [&](const LoadSettings&, const StopSignal&) {
        world.disk.full_for = {"manifest.json"};  // room for the cell's file, then none
        return steady_result(1000, 10);
    };
    RunSummary summary = world.run(matrix_from(k_two_servers));
    CHECK(summary.storage_failed);
    CHECK(summary.status == RunStatus::failed);
    CHECK(summary.failure.find("the manifest could not be updated after cell a") == 0);
    CHECK(summary.failure.find("runs/r/cells/a.rep1.json") != std::string::npos);
    CHECK(summary.failure.find("benchctl run --resume ") != std::string::npos);
    CHECK(world.log.only({"cell"}) == std::vector<std::string>{"cell 1/4 a"});
    CHECK(world.cell("cells/a.rep1.json").status == CellStatus::done);
}

TEST_CASE("the resume command is absolute and quoted for a shell when it has to be") {
    CHECK(resume_command("/tmp/runs/x") == "benchctl run --resume /tmp/runs/x");
    CHECK(resume_command("/tmp/my runs/it's") == "benchctl run --resume '/tmp/my runs/it'\\''s'");
    CHECK(resume_command("r").find("benchctl run --resume /") == 0);
}
