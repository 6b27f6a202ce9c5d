#include <catch2/catch.hpp>

#include "matrix_test_support.hpp"

using namespace benchctl;
using benchctl::testing::problems_of;

namespace {

const char* const k_threshold_matrix = R"(name: thresholds
axes:
  server:
    - name: fast
      thresholds: {p99: "< 50ms", requests_per_sec: ">= 2k"}
    - name: slow
      thresholds: {failures: null}
  mode: [sync, async]
include:
  - {server: slow, mode: async, thresholds: {p99: ["> 1ms", "< 900ms"]}}
target:
  command: [server, "${port}"]
thresholds:
  p99: "< 250ms"
  failures: "== 0"
)";

const Cell& threshold_cell(const Matrix& matrix, const std::string& id) {
    for (const Cell& candidate : matrix.cells) {
        if (candidate.id == id)
            return candidate;
    }
    FAIL("no cell " << id);
    return matrix.cells.front();
}

std::vector<std::string> described(const Cell& cell) {
    std::vector<std::string> texts;
    for (const Threshold& threshold : cell.thresholds) {
        texts.push_back(threshold.key + " " + operator_text(threshold.op) + " " +
                        std::to_string(threshold.bound));
    }
    return texts;
}

}  // namespace

TEST_CASE("thresholds merge like load settings: top level, axis value, include rule, --set") {
    const Matrix matrix = load_matrix_text(k_threshold_matrix, "m.yaml");
    CHECK(described(threshold_cell(matrix, "fast.sync")) ==
          std::vector<std::string>{"p99 < 50.000000", "failures == 0.000000",
                                   "requests_per_sec >= 2000.000000"});
    // A key without a value removes the inherited bound.
    CHECK(described(threshold_cell(matrix, "slow.sync")) ==
          std::vector<std::string>{"p99 < 250.000000"});
    // A list holds several bounds on one metric, each checked.
    CHECK(described(threshold_cell(matrix, "slow.async")) ==
          std::vector<std::string>{"p99 > 1.000000", "p99 < 900.000000"});
    const Matrix overridden =
        load_matrix_text(k_threshold_matrix, "m.yaml", {{{"thresholds.p99", "< 2s"}}, {}});
    CHECK(described(threshold_cell(overridden, "fast.async")).front() == "p99 < 2000.000000");
    CHECK(threshold_cell(overridden, "fast.async").thresholds.front().expression == "< 2s");
}

TEST_CASE("a matrix without thresholds gives cells without thresholds") {
    const Matrix matrix = load_matrix_text(
        "name: none\naxes: {mode: [a]}\ntarget: {command: [server, \"${port}\"]}\n", "m.yaml");
    CHECK(matrix.cells.front().thresholds.empty());
}

TEST_CASE("thresholds that are not a map are reported at their line") {
    CHECK(problems_of("name: t\naxes: {mode: [a]}\ntarget: {command: [s, \"${port}\"]}\n"
                      "thresholds: [p99]\n") ==
          "m.yaml:4:13: error: thresholds expects a map of metrics to conditions, got a list; "
          "write thresholds: {p99: \"< 250ms\", failures: \"== 0\"}\n");
}
