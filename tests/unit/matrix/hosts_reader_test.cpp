#include <catch2/catch.hpp>

#include "matrix_test_support.hpp"

using namespace benchctl;
using benchctl::testing::problems_of;

TEST_CASE("hosts are read with their ssh settings, and placements name them per cell") {
    Matrix matrix = load_matrix_text(R"(name: h
hosts:
  server1: {ssh: {address: 10.0.0.10, user: bench, port: 2222, identity: ~/.ssh/k,
                  options: [StrictHostKeyChecking=accept-new]}, benchctl: ~/bin/benchctl}
  client1: {ssh: {address: client1.lab}, copy_binary: true}
  here: {local: true}
services:
  db: {kind: redis, host: here}
axes:
  place:
    - name: near
      load: {agents: [here]}
    - name: far
      target: {host: server1}
      load: {agents: [client1, {host: here, weight: 2.5}]}
target: {command: [app, "${port}"]}
load: {url: "http://${target.host}:${port}/", connections: 4}
)",
                                     "m.yaml");
    REQUIRE(matrix.hosts.size() == 3);
    const HostSpec& server = matrix.hosts[0];
    CHECK(server.name == "server1");
    CHECK_FALSE(server.local);
    CHECK(server.address == "10.0.0.10");
    CHECK(server.user == "bench");
    CHECK(server.port == 2222);
    CHECK(server.identity == "~/.ssh/k");
    CHECK(server.options == std::vector<std::string>{"StrictHostKeyChecking=accept-new"});
    CHECK(server.benchctl == "~/bin/benchctl");
    CHECK_FALSE(server.copy_binary);
    CHECK(matrix.hosts[1].copy_binary);
    CHECK(matrix.hosts[2].local);
    CHECK(matrix.hosts[2].reach_address() == "127.0.0.1");
    CHECK(server.reach_address() == "10.0.0.10");
    REQUIRE(matrix.services.size() == 1);
    CHECK(matrix.services[0].host == "here");

    REQUIRE(matrix.cells.size() == 2);
    const Cell& near = matrix.cells[0];
    CHECK(near.target.host.empty());
    REQUIRE(near.agents.size() == 1);
    CHECK(near.agents[0].host == "here");
    CHECK(near.agents[0].weight == 1);
    const Cell& far = matrix.cells[1];
    CHECK(far.target.host == "server1");
    REQUIRE(far.agents.size() == 2);
    CHECK(far.agents[0].host == "client1");
    CHECK(far.agents[1].host == "here");
    CHECK(far.agents[1].weight == 2.5);
    // ${target.host} is filled per placement at run time (resolved_cell), so it stays a template.
    CHECK(far.load.url == "http://${target.host}:${port}/");
}

TEST_CASE("a placement on a host the matrix does not name is located, with the names it has") {
    CHECK(problems_of(R"(name: h
axes: {mode: [a]}
target: {command: [app, "${port}"], host: web}
)") == "m.yaml:3:43: error: unknown host 'web'; add hosts: {web: {ssh: {address: ...}}} (or "
       "{local: true}) at the top level\n");
    CHECK(problems_of(R"(name: h
hosts: {client1: {local: true}}
axes: {mode: [a]}
target: {command: [app, "${port}"]}
load: {agents: [client2]}
)") == "m.yaml:5:17: error: unknown host 'client2'; did you mean 'client1'?\n");
}

TEST_CASE("a load split over more agents than connections is refused at load.connections") {
    CHECK(problems_of(R"(name: h
hosts: {a: {local: true}, b: {local: true}}
axes: {mode: [a]}
target: {command: [app, "${port}"]}
load: {agents: [a, b], connections: 1, threads: 1}
)") == "m.yaml:5:37: error: 1 connections cannot be split over 2 load agents; raise "
       "load.connections to at least 2 (one per agent), or name fewer agents\n");
}
