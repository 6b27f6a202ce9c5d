// Verify mode (matrix `verify:`) in a fake world: the cell's request sent before its load, and a
// response that does not answer as required failing the cell before it is measured.

#include "runner/cell_verify.hpp"

#include <catch2/catch.hpp>

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
    world.http.replies["POST /items"] = {201, R"({"id": 1})", ""};
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
    world.http.replies["POST /items"] = {405, std::string(300, 'x'), ""};
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
    client.replies["GET /"] = {200, R"({"name": "w"})", ""};
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
    world.http.replies["POST /items"] = {0, "", "cannot connect to 127.0.0.1:20000: refused"};
    world.run(verified("{}"));
    CHECK(world.cell("cells/a.json").failure_reason ==
          "verify: POST http://127.0.0.1:20000/items: cannot connect to 127.0.0.1:20000: refused");
}
