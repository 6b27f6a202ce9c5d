#include "matrix/matrix_expansion.hpp"

#include <catch2/catch.hpp>

#include "matrix_test_support.hpp"

using namespace benchctl;
using benchctl::testing::cell_ids;
using benchctl::testing::problems_of;

namespace {

const char* const k_header = R"(name: t
target: {command: [server, "${port}"]}
)";

Matrix load(const std::string& body, const std::vector<SettingOverride>& overrides = {}) {
    return load_matrix_text(k_header + body, "m.yaml", {overrides, {}});
}

}  // namespace

TEST_CASE("expands the cartesian product with the first axis slowest") {
    Matrix matrix = load("axes: {server: [a, b], mode: [sync, async]}\n");
    CHECK(cell_ids(matrix) == std::vector<std::string>{"a.sync", "a.async", "b.sync", "b.async"});
    REQUIRE(matrix.axes.size() == 2);
    CHECK(matrix.axes[0].name == "server");
    CHECK(matrix.cells[1].values[1].label == "async");
}

TEST_CASE("an exclude rule drops every cell matching all of its keys") {
    Matrix matrix = load(R"(axes: {server: [a, b], endpoint: [x, y], mode: [sync, async]}
exclude:
  - {server: a, mode: async}
)");
    CHECK(cell_ids(matrix) == std::vector<std::string>{"a.x.sync", "a.y.sync", "b.x.sync",
                                                       "b.x.async", "b.y.sync", "b.y.async"});
}

TEST_CASE("an include rule adds a missing cell in axis order and may add a new value") {
    Matrix matrix = load(R"(axes: {server: [a, b], mode: [sync, async]}
exclude:
  - {server: a}
include:
  - {server: a, mode: async}
  - {server: b, mode: threaded}
)");
    CHECK(cell_ids(matrix) ==
          std::vector<std::string>{"a.async", "b.sync", "b.async", "b.threaded"});
    REQUIRE(matrix.axes[1].values.size() == 3);
    CHECK(matrix.axes[1].values[2].name == "threaded");
}

TEST_CASE("an include rule's settings are merged into the cell it names") {
    Matrix matrix = load(R"(axes: {server: [a, b]}
include:
  - {server: b, load: {threads: 4, connections: 8}}
)");
    REQUIRE(matrix.cells.size() == 2);
    CHECK_FALSE(matrix.cells[0].load.threads.has_value());
    CHECK(matrix.cells[1].load.threads == std::optional<std::string>("4"));
}

TEST_CASE("rules naming unknown axes or values are reported with suggestions") {
    std::string problems =
        problems_of(std::string(k_header) + R"(axes: {server: [gunicorn, hypercorn], mode: [sync]}
exclude:
  - {servre: gunicorn}
  - {server: gunicron}
include:
  - {server: hypercorm, mode: sync}
  - {server: uvicorn}
)");
    CHECK(
        problems ==
        "m.yaml:5:6: error: unknown axis 'servre' in exclude rule; did you mean 'server'?\n"
        "m.yaml:6:14: error: unknown value 'gunicron' of axis 'server'; did you mean 'gunicorn'?\n"
        "m.yaml:8:14: error: unknown value 'hypercorm' of axis 'server'; did you mean "
        "'hypercorn'? (an include rule may add a new value, but this looks like a typo)\n"
        "m.yaml:9:5: error: include rule names no value for axis 'mode'; an include rule names "
        "one value of every axis\n");
}

TEST_CASE("a matrix whose rules exclude every cell is an error at axes") {
    CHECK(problems_of(std::string(k_header) + "axes: {mode: [sync]}\nexclude: [{mode: sync}]\n") ==
          "m.yaml:3:1: error: the matrix expands to no cell; the exclude rules remove every "
          "combination; check them\n");
}

TEST_CASE("a value written as a map brings a label and fields usable as variables") {
    Matrix matrix = load(R"(axes:
  server:
    - name: gevent
      label: WSGI Gunicorn Gevent
      worker_class: gevent
      bind: "127.0.0.1:${port}"
load: {path: "/${server}/${server.worker_class}"}
)");
    REQUIRE(matrix.cells.size() == 1);
    const Cell& cell = matrix.cells[0];
    CHECK(cell.values[0].label == "WSGI Gunicorn Gevent");
    CHECK(cell.values[0].fields.at("worker_class") == "gevent");
    CHECK(cell.load.url == "http://127.0.0.1:${port}/gevent/gevent");
    CHECK(cell.target.command == std::vector<std::string>{"server", "${port}"});
}

TEST_CASE("run-time variables and $$ stay for the runner's pass") {
    Matrix matrix = load_matrix_text(R"(name: t
axes:
  server: [{name: a, bind: "127.0.0.1:${port}"}]
target:
  command: [run, "${server.bind}", "$$HOME", "${run_dir}/${cell}"]
)",
                                     "m.yaml");
    CHECK(matrix.cells[0].target.command ==
          std::vector<std::string>{"run", "127.0.0.1:${port}", "$$HOME", "${run_dir}/${cell}"});
}

TEST_CASE("a value named by a number is labelled axis=number unless it has a label") {
    Matrix matrix = load(R"(axes:
  workers: [1, {name: 2, label: two workers}, async]
include:
  - {workers: 10k}
)");
    REQUIRE(matrix.axes[0].values.size() == 4);
    CHECK(matrix.axes[0].values[0].label == "workers=1");
    CHECK(matrix.axes[0].values[1].label == "two workers");
    CHECK(matrix.axes[0].values[2].label == "async");
    CHECK(matrix.axes[0].values[3].label == "workers=10k");
    CHECK(matrix.cells[0].values[0].label == "workers=1");
}
