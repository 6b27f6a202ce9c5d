// Large and hostile matrix files: validation stays linear (or n log n) in the size of the file,
// and what would be too large to run is refused early with a message that says how to narrow it.

#include <catch2/catch.hpp>
#include <chrono>
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

template <typename Work>
std::chrono::duration<double> time_of(Work work) {
    auto begin = std::chrono::steady_clock::now();
    work();
    return std::chrono::steady_clock::now() - begin;
}

}  // namespace

TEST_CASE("a target env of 40,000 keys validates in under a second") {
    std::string text =
        "name: t\naxes: {mode: [a]}\ntarget:\n  command: [s, \"${port}\"]\n  env:\n" +
        env_lines(40'000, "    ");
    Matrix matrix;
    auto elapsed = time_of([&] { matrix = load_matrix_text(text, "m.yaml"); });
    CHECK(matrix.cells.at(0).target.env.size() == 40'000);
    CHECK(elapsed.count() < 1.0);
}

TEST_CASE("an axis value's env of 40,000 keys merges over the top level's in under a second") {
    std::string text = "name: t\naxes:\n  mode:\n    - name: a\n      target:\n        env:\n" +
                       env_lines(40'000, "          ") +
                       "target:\n  command: [s, \"${port}\"]\n  env:\n" + env_lines(40'000, "    ");
    Matrix matrix;
    auto elapsed = time_of([&] { matrix = load_matrix_text(text, "m.yaml"); });
    CHECK(matrix.cells.at(0).target.env.size() == 40'000);
    CHECK(elapsed.count() < 1.0);
}

TEST_CASE("a key set twice is still found among 40,000 keys, at its second line") {
    std::string text =
        "name: t\naxes: {mode: [a]}\ntarget:\n  command: [s, \"${port}\"]\n  env:\n" +
        env_lines(40'000, "    ") + "    K7: again\n";
    std::string problems;
    auto elapsed = time_of([&] { problems = problems_of(text); });
    CHECK(problems ==
          "m.yaml:40006:5: error: key 'K7' is set twice; it is first set at line 13; keep one\n");
    CHECK(elapsed.count() < 1.0);
}
