// Large and hostile matrix files load correctly, and what would be too large to run is refused
// early with a message that says how to narrow it. How validation time grows with the size of
// the file (linear, not quadratic) is measured by bench/matrix_scale.cpp, not asserted here:
// unit tests carry no wall-clock limits (they also run under ASan and TSan).

#include <catch2/catch.hpp>
#include <string>

#include "matrix_test_support.hpp"

using namespace benchctl;
using benchctl::testing::problems_of;

namespace {

// `count` environment variables K0: v0, K1: v1 ... as YAML block lines indented by `indent`.
std::string env_lines(std::size_t count, const std::string& indent) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i)
        text += indent + "K" + std::to_string(i) + ": v" + std::to_string(i) + "\n";
    return text;
}

}  // namespace

TEST_CASE("a target env of 40,000 keys validates with every key") {
    std::string text =
        "name: t\naxes: {mode: [a]}\ntarget:\n  command: [s, \"${port}\"]\n  env:\n" +
        env_lines(40'000, "    ");
    Matrix matrix;
    matrix = load_matrix_text(text, "m.yaml");
    CHECK(matrix.cells.at(0).target.env.size() == 40'000);
}

TEST_CASE("an axis value's env of 40,000 keys merges over the top level's") {
    std::string text = "name: t\naxes:\n  mode:\n    - name: a\n      target:\n        env:\n" +
                       env_lines(40'000, "          ") +
                       "target:\n  command: [s, \"${port}\"]\n  env:\n" + env_lines(40'000, "    ");
    Matrix matrix;
    matrix = load_matrix_text(text, "m.yaml");
    CHECK(matrix.cells.at(0).target.env.size() == 40'000);
}

TEST_CASE("a key set twice is still found among 40,000 keys, at its second line") {
    std::string text =
        "name: t\naxes: {mode: [a]}\ntarget:\n  command: [s, \"${port}\"]\n  env:\n" +
        env_lines(40'000, "    ") + "    K7: again\n";
    std::string problems;
    problems = problems_of(text);
    CHECK(problems ==
          "m.yaml:40006:5: error: key 'K7' is set twice; it is first set at line 13; keep one\n");
}

namespace {

// A matrix of `axes` axes a, b, c ... of `values` values v0, v1 ... each.
std::string product_matrix(int axes, int values, const std::string& rest = "") {
    std::string text = "name: t\ntarget: {command: [s, \"${port}\"]}\naxes:\n";
    for (int a = 0; a < axes; ++a) {
        text += std::string("  ") + static_cast<char>('a' + a) + ": [";
        for (int v = 0; v < values; ++v)
            text += (v ? ", v" : "v") + std::to_string(v);
        text += "]\n";
    }
    return text + rest;
}

}  // namespace

TEST_CASE("3.2 million cells are refused, with the count and how to narrow") {
    std::string problems;
    problems = problems_of(product_matrix(5, 20));
    CHECK(problems ==
          "m.yaml:3:1: error: the matrix expands to 3200000 cells (20 a x 20 b x 20 c x 20 d x 20 "
          "e = 3200000 combinations); benchctl runs at most 10000 cells; narrow it with exclude "
          "rules, fewer axes or values, or --only (e.g. --only 'a=v0')\n");
}

TEST_CASE("the cell cap counts what is left after exclude rules, before building any cell") {
    std::string exclude = "exclude:\n";
    for (int v = 0; v < 19; ++v)
        exclude += "  - {a: v" + std::to_string(v) + "}\n";
    Matrix matrix;
    matrix = load_matrix_text(product_matrix(4, 20, exclude), "m.yaml");
    CHECK(matrix.cells.size() == 8000);
    CHECK(matrix.cells.front().id == "v19.v0.v0.v0");
}

TEST_CASE("option --only narrows a matrix over the cap to one that loads") {
    Matrix by_axes = load_matrix_text(product_matrix(5, 20), "m.yaml", {{}, {"a=v1,b=v2"}});
    CHECK(by_axes.cells.size() == 8000);
    Matrix by_glob = load_matrix_text(product_matrix(5, 20), "m.yaml", {{}, {"v1.v2.*"}});
    CHECK(by_glob.cells.size() == 8000);
    CHECK(by_glob.cells.back().id == "v1.v2.v19.v19.v19");
}

TEST_CASE("an --only glob that must look at all 3.2 million ids finds the 20 it names") {
    Matrix matrix;
    matrix = load_matrix_text(product_matrix(5, 20), "m.yaml", {{}, {"*.v19.v19.v19.v18"}});
    CHECK(matrix.cells.size() == 20);
}

TEST_CASE("the cap is 10,000 cells, include rules' cells counted") {
    CHECK(load_matrix_text(product_matrix(2, 100), "m.yaml").cells.size() == 10'000);
    CHECK(problems_of(product_matrix(2, 100, "include: [{a: v0, b: extra}]\n")) ==
          "m.yaml:3:1: error: the matrix expands to 10001 cells (100 a x 100 b = 10000 "
          "combinations); benchctl runs at most 10000 cells; narrow it with exclude rules, fewer "
          "axes or values, or --only (e.g. --only 'a=v0')\n");
}

TEST_CASE("a product too large for 64 bits is refused too") {
    CHECK(problems_of(product_matrix(20, 20))
              .find("the matrix expands to more than 10000 cells "
                    "(20 a x 20 b") != std::string::npos);
}

TEST_CASE("an axis of 10,000 values with fields of their own builds all its cells") {
    std::string text =
        "name: t\ntarget: {command: [s, \"${port}\", \"${server.bind}\"]}\n"
        "axes:\n  server:\n";
    for (int v = 0; v < 10'000; ++v) {
        std::string n = std::to_string(v);
        text += "    - {name: v" + n + ", bind: b" + n + ", note" + n + ": x}\n";
    }
    Matrix matrix;
    matrix = load_matrix_text(text, "m.yaml");
    REQUIRE(matrix.cells.size() == 10'000);
    CHECK(matrix.cells.back().target.command.back() == "b9999");
}
