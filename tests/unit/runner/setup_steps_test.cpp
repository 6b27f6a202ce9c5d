// Setup steps (matrix `setup:`) in a fake world: their order around the services and cells, their
// captures as ${setup.<name>}, and every way one fails or is interrupted.

#include <catch2/catch.hpp>

#include "runner/matrix_runner.hpp"
#include "runner/step_runner.hpp"
#include "runner_fakes.hpp"
#include "util/error.hpp"

using namespace benchctl;
using namespace benchctl::testing;

namespace {

// A database service, a schema step, a step whose output names a worker, one cell using it.
const char* const k_setup = R"yaml(name: t
services:
  db: {command: [db, "${port}"]}
setup:
  - {name: schema, command: [psql, "${db.port}", "create table t"]}
  - name: worker
    command: [make-worker]
    capture: {worker_id: {regex: "id=(\\d+)"
}
}
axes: {server: [a, b]}
target: {command: [server, "${port}", "${setup.worker_id}"]}
load: {path: "/workers/${setup.worker_id}"}
)yaml";

void script_steps(FakeWorld& world) {
    world.launcher.scripts["psql"].exit_code = 0;
    world.launcher.scripts["make-worker"].exit_code = 0;
    world.launcher.scripts["make-worker"].output = "created worker id=65542\n";
}

}  // namespace

TEST_CASE("setup steps run after the services are ready and before the first cell, in order") {
    FakeWorld world;
    script_steps(world);
    RunSummary summary = world.run(matrix_from(k_setup));
    CHECK(world.log.only({"start", "ready", "cell ", "stop"}) ==
          std::vector<std::string>{
              "start db", "ready db", "start psql", "stop psql sig=15 grace=2s",
              "start make-worker", "stop make-worker sig=15 grace=2s", "cell 1/2 a", "start server",
              "ready server", "stop server sig=15 grace=5s", "cell 2/2 b", "start server",
              "ready server", "stop server sig=15 grace=5s", "stop db sig=15 grace=5s"});
    CHECK(summary.status == RunStatus::complete);
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a capture reaches every cell's target and load as ${setup.<name>}") {
    FakeWorld world;
    script_steps(world);
    world.run(matrix_from(k_setup));
    REQUIRE(world.launcher.started.size() == 5);
    CHECK(world.launcher.started[3].argv == std::vector<std::string>{"server", "20001", "65542"});
    CHECK(world.launcher.started[1].argv ==
          std::vector<std::string>{"psql", "20000", "create table t"});
    CHECK(world.launcher.started[2].log_path == "runs/r/logs/setup-worker.log");
    REQUIRE(world.load.runs.size() == 2);
    CHECK(world.load.runs[0].url.target == "/workers/65542");
}

TEST_CASE("the manifest records each setup step's outcome and captures") {
    FakeWorld world;
    script_steps(world);
    world.run(matrix_from(k_setup));
    const RunManifest manifest = world.manifest();
    REQUIRE(manifest.setup.size() == 2);
    CHECK(manifest.setup[0].name == "schema");
    CHECK(manifest.setup[0].kind == "command");
    CHECK(manifest.setup[0].status == "ok");
    CHECK(manifest.setup[0].exit_code == 0);
    CHECK(manifest.setup[0].log == "logs/setup-schema.log");
    CHECK(manifest.setup[1].captures == std::map<std::string, std::string>{{"worker_id", "65542"}});
}

TEST_CASE("a setup step that exits non-zero stops the run before any cell, and says why") {
    FakeWorld world;
    script_steps(world);
    world.launcher.scripts["psql"].exit_code = 3;
    world.launcher.scripts["psql"].output = "ERROR:  relation \"t\" already exists";
    CHECK_THROWS_AS(world.run(matrix_from(k_setup)), UserError);
    CHECK(world.log.only({"cell ", "load", "start make-worker"}).empty());
    const RunManifest manifest = world.manifest();
    CHECK(manifest.status == RunStatus::failed);
    CHECK(manifest.failure.find("setup step 'schema' failed: it exited with code 3") == 0);
    CHECK(manifest.failure.find("relation \"t\" already exists") != std::string::npos);
    REQUIRE(manifest.setup.size() == 1);
    CHECK(manifest.setup[0].status == "failed");
    CHECK(manifest.setup[0].exit_code == 3);
    CHECK(manifest.cells[0].status == EntryStatus::pending);
    // The service was stopped on the way out.
    CHECK(world.log.lines.back() != "start db");
    CHECK(world.launcher.live == 0);
}

TEST_CASE("a capture that finds nothing fails the setup") {
    FakeWorld world;
    script_steps(world);
    world.launcher.scripts["make-worker"].output = "no worker today";
    CHECK_THROWS_AS(world.run(matrix_from(k_setup)), UserError);
    const RunManifest manifest = world.manifest();
    CHECK(manifest.status == RunStatus::failed);
    CHECK(manifest.failure.find("capture 'worker_id' (regex: id=(\\d+)) found nothing") !=
          std::string::npos);
    CHECK(world.log.only({"cell "}).empty());
}

TEST_CASE("a setup command still running at its timeout is stopped and fails the setup") {
    FakeWorld world;
    const Matrix matrix = matrix_from(R"(name: t
setup: [{name: migrate, command: [migrate], timeout: 5s}]
axes: {server: [a]}
target: {command: [server, "${port}"]}
)");
    CHECK_THROWS_AS(world.run(matrix), UserError);
    CHECK(world.manifest().failure.find("setup step 'migrate' failed: it did not finish within "
                                        "5s") == 0);
    CHECK(world.clock.elapsed() >= 5.0);
    CHECK(world.log.only({"cell "}).empty());
    CHECK(world.launcher.live == 0);
}

TEST_CASE("an interrupt during a setup step stops it and the services, and runs no cell") {
    FakeWorld world;
    world.clock.on_sleep = [&](double) { world.control.interrupt(); };
    const Matrix matrix = matrix_from(R"(name: t
services:
  db: {command: [db, "${port}"]}
setup: [{name: migrate, command: [migrate]}]
axes: {server: [a]}
target: {command: [server, "${port}"]}
)");
    RunSummary summary = world.run(matrix);
    CHECK(summary.status == RunStatus::interrupted);
    CHECK(world.manifest().status == RunStatus::interrupted);
    REQUIRE(world.manifest().setup.size() == 1);
    CHECK(world.manifest().setup[0].status == "interrupted");
    CHECK(world.log.only({"cell "}).empty());
    CHECK(world.log.only({"stop"}) ==
          std::vector<std::string>{"stop migrate sig=15 grace=2s", "stop db sig=15 grace=5s"});
    CHECK(world.launcher.live == 0);
}

TEST_CASE("an HTTP step sends its request and captures from the JSON response") {
    FakeWorld world;
    world.http.replies["POST /workers"] = {201, R"({"id": 65542, "name": "w"})", "", ""};
    const Matrix matrix = matrix_from(R"(name: t
services:
  api: {command: [api, "${port}"]}
setup:
  - name: worker
    http:
      method: POST
      url: "http://127.0.0.1:${api.port}/workers"
      headers: {Content-Type: application/json}
      body: '{"name": "w"}'
      status: 201
    capture: {worker_id: {json: "$.id"}}
axes: {server: [a]}
target: {command: [server, "${port}"]}
load: {path: "/jobs?worker=${setup.worker_id}"}
)");
    world.run(matrix);
    REQUIRE(world.http.requests.size() == 1);
    const std::string& request = world.http.requests[0];
    CHECK(request.find("POST /workers HTTP/1.1\r\n") == 0);
    CHECK(request.find("Content-Type: application/json\r\n") != std::string::npos);
    CHECK(request.find("\r\n\r\n{\"name\": \"w\"}") != std::string::npos);
    REQUIRE(world.load.runs.size() == 1);
    CHECK(world.load.runs[0].url.target == "/jobs?worker=65542");
    const RunManifest manifest = world.manifest();
    REQUIRE(manifest.setup.size() == 1);
    CHECK(manifest.setup[0].kind == "http");
    CHECK(manifest.setup[0].http_status == 201);
}

TEST_CASE("an HTTP step answered with another status fails the setup, showing the body") {
    FakeWorld world;
    world.http.replies["GET /health"] = {405, "Method Not Allowed", "", ""};
    const Matrix matrix = matrix_from(R"(name: t
setup: [{name: probe, http: {url: "http://127.0.0.1:9/health"}}]
axes: {server: [a]}
target: {command: [server, "${port}"]}
)");
    CHECK_THROWS_AS(world.run(matrix), UserError);
    const std::string failure = world.manifest().failure;
    CHECK(failure.find("setup step 'probe' failed: GET http://127.0.0.1:9/health answered 405, "
                       "expected 2xx") == 0);
    CHECK(failure.find("Method Not Allowed") != std::string::npos);
    CHECK(world.log.only({"cell "}).empty());
}

TEST_CASE("an HTTP step whose connection fails fails the setup with the reason") {
    FakeWorld world;
    world.http.replies["GET /"] = {0, "", "cannot connect to 127.0.0.1:9: connection refused", ""};
    const Matrix matrix = matrix_from(R"(name: t
setup: [{name: probe, http: {url: "http://127.0.0.1:9/"}}]
axes: {server: [a]}
target: {command: [server, "${port}"]}
)");
    CHECK_THROWS_AS(world.run(matrix), UserError);
    CHECK(world.manifest().failure.find("connection refused") != std::string::npos);
}

TEST_CASE("captures take a regex's first group, its whole match, or a JSON path's value") {
    using Kind = StepCapture::Kind;
    CHECK(apply_capture({"x", Kind::regex, "id=(\\d+)"}, "a id=42 b") == "42");
    CHECK(apply_capture({"x", Kind::regex, "\\d+"}, "a 42 b") == "42");
    CHECK(apply_capture({"x", Kind::regex, "id=(\\d+)"}, "nothing") == std::nullopt);
    CHECK(apply_capture({"x", Kind::json, "$.items[1].id"},
                        R"({"items": [{"id": 1}, {"id": "b"}]})") == "b");
    CHECK(apply_capture({"x", Kind::json, "$.n"}, R"({"n": 2.5})") == "2.5");
    CHECK(apply_capture({"x", Kind::json, "$.n"}, R"({"n": null})") == std::nullopt);
    CHECK(apply_capture({"x", Kind::json, "$.n"}, "not json") == std::nullopt);
}

TEST_CASE("a regex capture reads lines with ^ and $ and survives a huge output") {
    using Kind = StepCapture::Kind;
    CHECK(apply_capture({"x", Kind::regex, "^id: (\\d+)$"}, "name: w\nid: 7\nok\n") == "7");
    // std::regex would recurse once per character here; PCRE2 stops at its backtracking limit.
    CHECK(apply_capture({"x", Kind::regex, "(a|aa)+b"}, std::string(1 << 20, 'a')) == std::nullopt);
}
