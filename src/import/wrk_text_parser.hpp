#pragma once

#include <cstddef>
#include <vector>

#include "import/imported_cell.hpp"
#include "import/source_text.hpp"

namespace benchctl {

// Whether `line` (trimmed) begins a wrk summary: "Running 10s test @ http://...".
bool is_wrk_start_line(const std::string& line);

// Reads every wrk summary among the lines [begin, end) of `source`, each from its "Running ...
// test @" line to its "Transfer/sec:" line (wrk 4's layout, with or without --latency, with its
// "Socket errors" and "Non-2xx or 3xx responses" lines), into one cell each, in order; lines
// outside the summaries are ignored. The figures are kept as wrk printed them (see
// docs/import.md); the cells' labels are left empty. Throws UserError naming file:line and the
// line wrk would have printed there when a summary is incomplete or malformed.
std::vector<ImportedCell> parse_wrk_text(const SourceText& source, std::size_t begin,
                                         std::size_t end);

// The whole file.
ImportedDocument parse_wrk_text_file(const SourceText& source);

}  // namespace benchctl
