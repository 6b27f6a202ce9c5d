// Golden tests for validation messages: every tests/golden/matrix/<case>.yaml is loaded (named
// "<case>.yaml", with the --set overrides listed one per line in <case>.set and the --only terms
// one per line in <case>.only, if present), and
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

// The non-empty lines of <case><extension>, if that file exists.
std::vector<std::string> lines_of(const fs::path& yaml, const char* extension) {
    std::vector<std::string> lines;
    fs::path file = fs::path(yaml).replace_extension(extension);
    if (!fs::exists(file))
        return lines;
    std::istringstream text(read_text(file));
    for (std::string line; std::getline(text, line);) {
        if (!line.empty())
            lines.push_back(line);
    }
    return lines;
}

MatrixOptions options_for(const fs::path& yaml) {
    MatrixOptions options;
    for (const std::string& line : lines_of(yaml, ".set"))
        options.overrides.push_back(parse_setting_override(line));
    options.only = lines_of(yaml, ".only");
    return options;
}

// `text` with every occurrence of `directory` removed.
std::string without_directory(std::string text, const std::string& directory) {
    for (std::size_t at = text.find(directory); at != std::string::npos;
         at = text.find(directory, at))
        text.erase(at, directory.size());
    return text;
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
            // Loaded by its full path so that data files next to it are found; the messages
            // name files relative to the golden directory, as the .expected files do.
            std::string actual =
                without_directory(benchctl::testing::problems_of_file(
                                      read_text(yaml), yaml.string(), options_for(yaml)),
                                  yaml.parent_path().string() + "/");
            fs::path expected_file = fs::path(yaml).replace_extension(".expected");
            if (update)
                std::ofstream(expected_file) << actual;
            CHECK_FALSE(actual.empty());
            CHECK(actual == read_text(expected_file));
        }
    }
}
