#pragma once

// Helpers shared by the import tests: the source documents of tests/fixtures/reference/ and the
// wrk / siege blocks they hold, as lists of lines.

#include <string>
#include <vector>

#include "import/source_text.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace benchctl::test {

inline std::string reference_path(const std::string& name) {
    return std::string(BENCHCTL_REFERENCE_DIR) + "/" + name;
}

inline SourceText reference_source(const std::string& name) {
    return read_source_text(reference_path(name));
}

inline const char* const k_source_000 = "000_9e3280e0d1fa8050.txt";
inline const char* const k_source_001 = "001_bd0f1b7dcbb0b206.txt";
inline const char* const k_source_002 = "002_c0583614770cbc48.txt";
inline const char* const k_source_004 = "004_ab4033540cefe33c.txt";

inline std::vector<std::string> split_lines(const std::string& text) {
    return make_source_text("", text).lines;
}

inline bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// Each wrk summary of `lines`, from "Running" to "Transfer/sec:".
inline std::vector<std::vector<std::string>> wrk_blocks(const std::vector<std::string>& lines) {
    std::vector<std::vector<std::string>> blocks;
    bool inside = false;
    for (const std::string& line : lines) {
        if (starts_with(line, "Running ")) {
            blocks.emplace_back();
            inside = true;
        }
        if (inside)
            blocks.back().push_back(line);
        if (starts_with(line, "Transfer/sec:"))
            inside = false;
    }
    return blocks;
}

// Each siege summary of `lines`: its twelve lines without indentation.
inline std::vector<std::vector<std::string>> siege_blocks(const std::vector<std::string>& lines) {
    std::vector<std::vector<std::string>> blocks;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!starts_with(trim_blanks(lines[i]), "Transactions:"))
            continue;
        blocks.emplace_back();
        for (std::size_t j = i; j < i + 12 && j < lines.size(); ++j)
            blocks.back().push_back(trim_blanks(lines[j]));
    }
    return blocks;
}

// The whole message (what, where; hint) of the UserError `action` throws, "no error" if none.
template <typename Action>
std::string error_message(Action&& action) {
    try {
        action();
    } catch (const UserError& error) {
        return error.message();
    }
    return "no error";
}

}  // namespace benchctl::test
