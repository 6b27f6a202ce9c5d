#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "matrix_test_support.hpp"

using namespace benchctl;
using benchctl::testing::problems_of;

TEST_CASE("collects every problem of a file instead of stopping at the first") {
    std::string problems = problems_of(R"(name: t
axes: {mode: [sync]}
target: {command: [s, "${port}"], warmup: later}
load: {threds: 2, duration: 1x}
)");
    CHECK(problems ==
          "m.yaml:3:43: error: malformed duration 'later'; use a number with a unit: 10s, 500ms, "
          "2.5m, 1h (a bare number means seconds)\n"
          "m.yaml:4:8: error: unknown key 'threds' in load; did you mean 'threads'?\n"
          "m.yaml:4:29: error: malformed duration '1x'; use a number with a unit: 10s, 500ms, "
          "2.5m, 1h (a bare number means seconds)\n");
}

TEST_CASE("MatrixError says the first problem and how many more there are") {
    try {
        load_matrix_text(
            "name: t\naxes: {mode: [a, a]}\nrepeat: x\ntarget: {command: [s, \"${port}\"]}\n",
            "m.yaml");
        FAIL("no MatrixError");
    } catch (const MatrixError& error) {
        CHECK(error.problems().size() == 2);
        CHECK(error.where() == "m.yaml:2:18");
        CHECK(error.message().find("1 more problem") != std::string::npos);
    }
}

TEST_CASE("a field missing from one value of an axis is named when a cell uses it") {
    std::string problems = problems_of(R"(name: t
axes:
  server: [{name: a, workers: "2"}, {name: b}]
target: {command: [s, "${port}", "${server.workers}"]}
)");
    CHECK(problems ==
          "m.yaml:4:34: error: unknown variable ${server.workers}: value 'b' of axis "
          "'server' has no field 'workers'; give every value of the axis this field, or use it "
          "only in the settings of the values that have it\n");
}

TEST_CASE("a run-time variable cannot stand where a typed value is expected") {
    CHECK(problems_of(R"(name: t
axes: {mode: [a]}
target: {command: [s, "${port}"], ready: {timeout: "${port}s"}}
)") == "m.yaml:3:52: error: ${port} is only known at run time and cannot be used in timeout; "
       "write a duration like 10s here\n");
}

TEST_CASE("a file that is not a map, or is empty, is reported at its start") {
    CHECK(problems_of("- a\n- b\n") ==
          "m.yaml:1:1: error: a matrix file is a map of settings, got a list; start with 'name:', "
          "'axes:' and 'target:' (see docs/matrix.md)\n");
    CHECK(problems_of("") ==
          "m.yaml:1:1: error: the file holds no settings; start with 'name:', 'axes:' and "
          "'target:' (see docs/matrix.md)\n");
}

TEST_CASE("load settings are checked together as benchctl load checks them") {
    CHECK(problems_of(R"(name: t
axes: {mode: [a]}
target: {command: [s, "${port}"]}
load: {threads: 4, connections: 2}
)") == "m.yaml:4:33: error: connections (2) must be at least the number of threads (4); raise "
       "connections or lower threads: each thread needs a connection\n");
}

TEST_CASE("a valid file loads with its header and defaults") {
    Matrix matrix = load_matrix_text(R"(name: quick
title: Quick check
axes: {mode: [a, b]}
target: {command: [s, "${port}"]}
cooldown: 500ms
)",
                                     "dir/quick.yaml");
    CHECK(matrix.name == "quick");
    CHECK(matrix.title == "Quick check");
    CHECK(matrix.repeat == 1);
    CHECK(matrix.cooldown == std::chrono::milliseconds(500));
    CHECK(matrix.cells.size() == 2);
    CHECK(matrix.cells[0].load.url == "http://127.0.0.1:${port}/");
    CHECK(matrix.cells[0].target.ready.kind == ReadinessKind::tcp);
    CHECK(matrix.cells[0].target.stop_signal == 15);
}

TEST_CASE("the scenarios shipped in scenarios/ load without problems") {
    namespace fs = std::filesystem;
    if (!fs::exists(BENCHCTL_SCENARIOS_DIR))
        return;
    for (const auto& entry : fs::directory_iterator(BENCHCTL_SCENARIOS_DIR)) {
        if (entry.path().extension() != ".yaml")
            continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        INFO(entry.path().string());
        CHECK(benchctl::testing::problems_of_file(text.str(), entry.path().string()) == "");
    }
}

TEST_CASE("target.cpus and load.cpus must be CPU lists of CPUs this machine has") {
    CHECK_THAT(problems_of(R"(name: t
axes: {mode: [sync]}
target: {command: [s, "${port}"], cpus: "0-x"}
)"),
               Catch::Contains("m.yaml:3:41: error: malformed CPU list '0-x'"));
    // CPUs are checked against the machine where hosts are (validate, run), as programs are.
    const std::string problems =
        benchctl::testing::problems_of_file(R"(name: t
axes: {mode: [sync]}
target: {command: [/bin/sh, "${port}"], cpus: "0"}
load: {cpus: "4095"}
)",
                                            "m.yaml", {{}, {}, HostChecks::yes});
    CHECK_THAT(problems, Catch::Contains("m.yaml:4:14: error: CPU 4095 of '4095' is not "
                                         "available on this machine"));
    CHECK_THAT(problems, !Catch::Contains("m.yaml:3:"));
}

TEST_CASE("target.settle takes a share of a core, a window and a timeout") {
    CHECK(problems_of(R"(name: t
axes: {mode: [sync]}
target:
  command: [s, "${port}"]
  settle: {cpu_below: 10%, window: 500ms, timeout: 20s}
)") == "");
    CHECK_THAT(problems_of(R"(name: t
axes: {mode: [sync]}
target:
  command: [s, "${port}"]
  settle: {cpu_below: quiet, windw: 1s}
)"),
               Catch::Contains("m.yaml:5:23: error: malformed percentage 'quiet'") &&
                   Catch::Contains("unknown key 'windw' in settle"));
}
