#include <catch2/catch.hpp>

#include "matrix_test_support.hpp"

using namespace benchctl;
using benchctl::testing::problems_of;
using namespace std::chrono_literals;

TEST_CASE("a service of a known kind is read from its own keys, without a command") {
    Matrix matrix = load_matrix_text(R"(name: s
services:
  db:
    kind: postgres
    databases: [tasks, audit]
    user: app
    password: "${env:HOME}"
    settings: {shared_buffers: 256MB, fsync: "off", max_connections: 200}
    keep_data: true
    ready: {timeout: 90s}
    stop: {grace: 2s}
  proxy: {kind: nginx, upstream: "127.0.0.1:${db.port}"}
axes: {mode: [sync]}
target: {command: [app, "${port}", "${db.url}", "${proxy.url}"]}
)",
                                     "m.yaml");
    REQUIRE(matrix.services.size() == 2);
    REQUIRE(matrix.services[0].config);
    const ServiceConfig& db = *matrix.services[0].config;
    CHECK(db.kind == ServiceKind::postgres);
    CHECK(db.databases == std::vector<std::string>{"tasks", "audit"});
    CHECK(db.user == "app");
    CHECK(db.password == std::string(std::getenv("HOME")));
    CHECK(db.settings ==
          std::vector<std::pair<std::string, std::string>>{
              {"shared_buffers", "256MB"}, {"fsync", "off"}, {"max_connections", "200"}});
    CHECK(db.keep_data);
    CHECK(db.ready_timeout == 90s);
    CHECK(db.stop_grace == 2s);
    CHECK(matrix.services[0].target.command.empty());
    const ServiceConfig& proxy = *matrix.services[1].config;
    CHECK(proxy.kind == ServiceKind::nginx);
    CHECK(proxy.upstream == "127.0.0.1:${db.port}");
    CHECK_FALSE(proxy.keep_data);
    CHECK(proxy.ready_timeout == 60s);
    CHECK(matrix.cells[0].target.command ==
          std::vector<std::string>{"app", "${port}", "${db.url}", "${proxy.url}"});
}

TEST_CASE("a service given as a command offers its port and host, not a URL") {
    const char* matrix = R"(name: s
services:
  app: {command: [app, "${port}"]}
axes: {mode: [sync]}
target: {command: [client, "${port}", "${app.host}:${app.port}", "${app.url}"]}
)";
    CHECK(problems_of(matrix) ==
          "m.yaml:5:66: error: unknown variable ${app.url}; known variables: ${mode}, "
          "${mode.label}, ${app.host}, ${app.port}, ${app_port}, ${cell}, ${port}, ${run_dir}, "
          "${target.host}, "
          "${env:NAME}\n");
}

TEST_CASE("an nginx service's name leaves room for its access log's file name") {
    const std::string name(237, 'p');
    const std::string matrix = "name: s\nservices:\n  " + name +
                               ": {kind: nginx, upstream: \"127.0.0.1:8000\"}\n"
                               "axes: {mode: [sync]}\ntarget: {command: [app, \"${port}\"]}\n";
    CHECK(problems_of(matrix) ==
          "m.yaml:3:3: error: service name '" + name.substr(0, 32) +
              "...' (237 bytes) is too long for its log file; "
              "logs/service-<name>.access.log must fit in 255 bytes; use at most 236\n");
    CHECK(problems_of("name: s\nservices:\n  " + name +
                      ": {command: [a, \"${port}\"]}\n"
                      "axes: {mode: [sync]}\ntarget: {command: [app, \"${port}\"]}\n") == "");
}
