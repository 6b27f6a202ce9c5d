// Golden tests for validation messages: every tests/golden/matrix/<case>.yaml is loaded (named
// "<case>.yaml", with the --set overrides listed one per line in <case>.set if present), and
// the problems, formatted as `benchctl validate` prints them, must equal <case>.expected.
// Regenerate after a deliberate change with:
//   BENCHCTL_UPDATE_GOLDEN=1 build/tests/unit_matrix_tests "[golden]"
// and review the diff.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "matrix_test_support.hpp"

using namespace benchctl;

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<SettingOverride> overrides_for(const fs::path& yaml) {
    std::vector<SettingOverride> overrides;
    fs::path set_file = fs::path(yaml).replace_extension(".set");
    if (!fs::exists(set_file))
        return overrides;
    std::istringstream lines(read_text(set_file));
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty())
            overrides.push_back(parse_setting_override(line));
    }
    return overrides;
}

std::vector<fs::path> golden_cases() {
    std::vector<fs::path> cases;
    for (const auto& entry : fs::directory_iterator(BENCHCTL_GOLDEN_DIR)) {
        if (entry.path().extension() == ".yaml")
            cases.push_back(entry.path());
    }
    std::sort(cases.begin(), cases.end());
    return cases;
}

}  // namespace

TEST_CASE("every broken matrix in tests/golden/matrix reports exactly its expected problems",
          "[golden]") {
    std::vector<fs::path> cases = golden_cases();
    REQUIRE(cases.size() >= 7);
    bool update = std::getenv("BENCHCTL_UPDATE_GOLDEN") != nullptr;
    for (const fs::path& yaml : cases) {
        SECTION(yaml.stem().string()) {
            std::string actual = benchctl::testing::problems_of_file(
                read_text(yaml), yaml.filename().string(), overrides_for(yaml));
            fs::path expected_file = fs::path(yaml).replace_extension(".expected");
            if (update)
                std::ofstream(expected_file) << actual;
            CHECK_FALSE(actual.empty());
            CHECK(actual == read_text(expected_file));
        }
    }
}
