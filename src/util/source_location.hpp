#pragma once

#include <string>

namespace benchctl {

// Where something was written: a position in a file (line and column 1-based), or, with line 0,
// just a name such as a flag ("-H") or a file. Matrix files, request scripts and the data files
// they name all report problems through it.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
    // "scenarios/x.yaml:12:5", "tasks.csv:3" (column 0), or just the file when line is 0.
    std::string to_string() const;
};

}  // namespace benchctl
