#include "runner/resolved_cell.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace benchctl;

namespace {

namespace fs = std::filesystem;

Matrix matrix_in(const std::string& directory) {
    Matrix matrix;
    matrix.file = directory + "/m.yaml";
    matrix.directory = directory;
    return matrix;
}

}  // namespace

TEST_CASE("${run_dir} is absolute, since the target runs in the matrix file's directory") {
    TargetSpec target;
    target.command = {"server", "--out", "${run_dir}/stats", "${cell}", "${port}"};
    target.env = {{"RUN_DIR", "${run_dir}"}};
    RuntimeValues values{8123, "results/20240101T000000Z-t/", "a.b", {}};
    ResolvedTarget resolved =
        resolve_target(matrix_in("scenarios"), target, values, "log", "target of cell a.b");
    fs::path expected = fs::current_path() / "results" / "20240101T000000Z-t";
    CHECK(resolved.launch.argv ==
          std::vector<std::string>{"server", "--out", expected.string() + "/stats", "a.b", "8123"});
    CHECK(resolved.launch.env.at("RUN_DIR") == expected.string());
    CHECK(resolved.launch.cwd == "scenarios");
}

TEST_CASE("an absolute run directory is kept as it is") {
    TargetSpec target;
    target.shell = "exec server > ${run_dir}/out";
    RuntimeValues values{8123, "/tmp/runs/r1", "a", {}};
    ResolvedTarget resolved = resolve_target(matrix_in(""), target, values, "log", "a");
    CHECK(resolved.launch.shell == std::optional<std::string>("exec server > /tmp/runs/r1/out"));
}
