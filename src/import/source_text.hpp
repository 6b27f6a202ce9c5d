#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace benchctl {

// One input file of `benchctl import`, split into lines, so that parsers can name file:line in
// their errors and in the imported documents.
struct SourceText {
    std::string file;                // the path as given
    std::string text;                // the whole file
    std::vector<std::string> lines;  // without line ends ("\r\n" and "\n" alike)

    // "file:line" for a 0-based line index (shown 1-based).
    std::string location(std::size_t index) const;

    // Throws UserError("<what>", "file:line", hint) for a 0-based line index.
    [[noreturn]] void fail(std::size_t index, const std::string& what,
                           const std::string& hint) const;
};

// Splits `text` into a SourceText named `file`.
SourceText make_source_text(std::string file, std::string text);

// Reads `path`. Throws UserError naming the file when it cannot be read.
SourceText read_source_text(const std::string& path);

// `line` without leading and trailing blanks (spaces, tabs).
std::string trim_blanks(const std::string& line);

}  // namespace benchctl
