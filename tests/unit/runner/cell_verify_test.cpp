// Verify mode (matrix `verify:`) in a fake world: the cell's request sent before its load, and a
// response that does not answer as required failing the cell before it is measured.

#include "runner/cell_verify.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "runner/matrix_runner.hpp"
#include "runner_fakes.hpp"

using namespace benchctl;
using namespace benchctl::testing;

namespace {

Matrix verified(const std::string& verify) {
    return matrix_from(R"(name: t
axes: {server: [a, b]}
target: {command: [server, "${port}"]}
load: {path: /items, method: POST, body: "{}"}
verify: )" + verify + "\n");
}

}  // namespace

TEST_CASE("verify sends the cell's request before its load, and the load follows when it passes") {
    FakeWorld world;
    world.http.replies["POST /items"] = {201, R"({"id": 1})", "", ""};
    RunSummary summary = world.run(verified("{count: 2, status: 201, json_key: id}"));
    CHECK(summary.done == 2);
    CHECK(world.log.only({"ready server", "http", "load"}) ==
          std::vector<std::string>{"ready server", "http POST /items", "http POST /items",
                                   "load /items", "ready server", "http POST /items",
                                   "http POST /items", "load /items"});
    REQUIRE(world.http.requests.size() == 4);
    // The very bytes the load sends.
    CHECK(world.http.requests[0].find("POST /items HTTP/1.1\r\n") == 0);
    CHECK(world.http.requests[0].find("\r\n\r\n{}") != std::string::npos);
}

TEST_CASE("a wrong status fails the cell before its load, with the status and the body's start") {
    FakeWorld world;
    world.http.replies["POST /items"] = {405, std::string(300, 'x'), "", ""};
    RunSummary summary = world.run(verified("{}"));
    CHECK(summary.failed == 2);
    CHECK(world.log.only({"load"}).empty());
    const CellRecord record = world.cell("cells/a.json");
    CHECK(record.status == CellStatus::failed);
    CHECK(record.failure_reason ==
          "verify: POST http://127.0.0.1:20000/items answered 405, expected 2xx; the response "
          "began: \"" +
              std::string(200, 'x') + "\"");
    CHECK_FALSE(record.load.has_value());
    CHECK(world.log.only({"stop server"}).size() == 2);
    CHECK(world.launcher.live == 0);
}

TEST_CASE("verify checks the body against a regex and a JSON key") {
    EventLog log;
    FakeHttp client{log};
    client.replies["GET /"] = {200, R"({"name": "w"})", "", ""};
    const VerifyRequest request{parse_url("http://127.0.0.1:9/", "url"), "GET", "GET / ..."};
    std::atomic<bool> cancel{false};
    auto verify = [&](VerifySpec spec) {
        return verify_request(spec, client, request, std::chrono::seconds(1), cancel);
    };
    CHECK(verify({1, std::nullopt, std::string("\"name\""), std::nullopt}) == std::nullopt);
    CHECK(verify({1, std::nullopt, std::nullopt, std::string("name")}) == std::nullopt);
    CHECK(verify({1, std::nullopt, std::string("^ok$"), std::nullopt}) ==
          "verify: GET http://127.0.0.1:9/ answered 200 with a body that does not match /^ok$/; "
          "the response began: \"{\"name\": \"w\"}\"");
    CHECK(verify({1, std::nullopt, std::nullopt, std::string("id")})
              ->find("no JSON object with "
                     "the key 'id'") != std::string::npos);
    CHECK(verify({3, 201, std::nullopt, std::nullopt}) ==
          "verify: GET http://127.0.0.1:9/ (request 1 of 3) answered 200, expected 201; the "
          "response began: \"{\"name\": \"w\"}\"");
}

TEST_CASE("a connection refused by the target fails the cell with the reason") {
    FakeWorld world;
    world.http.replies["POST /items"] = {0, "", "cannot connect to 127.0.0.1:20000: refused", ""};
    world.run(verified("{}"));
    CHECK(world.cell("cells/a.json").failure_reason ==
          "verify: POST http://127.0.0.1:20000/items: cannot connect to 127.0.0.1:20000: refused");
}

namespace {

// A CSV data set in a directory of its own, removed with the object.
struct VerifyDataFile {
    VerifyDataFile() {
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "tasks.csv") << "title,owner\nfirst task,ann\nsecond task,bob\n";
    }
    ~VerifyDataFile() { std::filesystem::remove_all(dir); }
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("benchctl-verify-" + std::to_string(::getpid()));
};

}  // namespace

TEST_CASE("verify walks a sequence in order, each step's capture filling the next") {
    FakeWorld world;
    world.http.replies["POST /tasks"] = {201, R"({"id": 7})", "", ""};
    world.http.replies["GET /tasks/7?owner=ann"] = {200, R"({"id": 7, "title": "t"})", "", ""};
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"]}
load:
  vars: {owner: ann}
  sequence:
    - {name: create, method: POST, path: /tasks, json: {title: t}, expect: {status: 201},
       capture: {id: {json: $.id}}}
    - {name: read, path: "/tasks/{{id}}?owner={{owner}}"}
verify: {json_key: id}
)"));
    CHECK(world.cell("cells/a.json").status == CellStatus::done);
    CHECK(world.log.only({"http", "load"}) ==
          std::vector<std::string>{"http POST /tasks", "http GET /tasks/7?owner=ann", "load /"});
    REQUIRE(world.http.requests.size() == 2);
    CHECK(world.http.requests[0].find("\r\n\r\n{\"title\":\"t\"}") != std::string::npos);
}

TEST_CASE("a walked request that misses its own expected status fails the cell, named") {
    FakeWorld world;
    world.http.replies["POST /tasks"] = {200, R"({"id": 7})", "", ""};
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"]}
load:
  sequence:
    - {name: create, method: POST, path: /tasks, expect: {status: 201}, capture: {id: {json: $.id}}}
    - {name: read, path: "/tasks/{{id}}"}
verify: {}
)"));
    const CellRecord record = world.cell("cells/a.json");
    CHECK(record.status == CellStatus::failed);
    CHECK(record.failure_reason ==
          "verify: POST http://127.0.0.1:20000/tasks ('create') failed its check (create: "
          "expected status 201, got 200); the response began: \"{\"id\": 7}\"");
    CHECK(world.log.only({"http", "load"}) == std::vector<std::string>{"http POST /tasks"});
}

TEST_CASE("verify sends a mix's entries once each, a request's own status standing for 2xx") {
    FakeWorld world;
    world.http.replies["GET /"] = {200, "home", "", ""};
    world.http.replies["GET /missing"] = {404, "no", "", ""};
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"]}
load:
  mix:
    - {name: home, path: /, weight: 3}
    - {name: gone, path: /missing, weight: 1, expect: {status: 404}}
verify: {count: 2}
)"));
    CHECK(world.cell("cells/a.json").status == CellStatus::done);
    CHECK(world.log.only({"http"}) == std::vector<std::string>{"http GET /", "http GET /missing",
                                                               "http GET /", "http GET /missing"});
}

TEST_CASE("verify fills a templated body from the data set's first row") {
    VerifyDataFile data;
    FakeWorld world;
    world.http.replies["POST /tasks"] = {201, "{}", "", ""};
    world.run(matrix_from(R"(name: t
axes: {server: [a]}
target: {command: [server, "${port}"]}
load:
  method: POST
  path: /tasks
  data: {tasks: {file: )" +
                          (data.dir / "tasks.csv").string() +
                          R"(, pick: sequential}}
  form: {title: "{{tasks.title}}", owner: "{{tasks.owner}}"}
verify: {status: 201}
)"));
    CHECK(world.cell("cells/a.json").status == CellStatus::done);
    REQUIRE(world.http.requests.size() == 1);
    CHECK(world.http.requests[0].find("\r\n\r\ntitle=first+task&owner=ann") != std::string::npos);
}
