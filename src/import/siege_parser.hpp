#pragma once

#include <cstddef>
#include <vector>

#include "import/imported_cell.hpp"
#include "import/source_text.hpp"

namespace benchctl {

// Whether `line` (trimmed) begins siege's closing summary: "Transactions:   21 hits".
bool is_siege_start_line(const std::string& line);

// Reads every siege summary among the lines [begin, end) of `source` (siege 3/4, as in source
// document 002: the twelve lines from "Transactions:" to "Shortest transaction:", indented or
// not) into one cell each, in order. Before each summary, siege's "Preparing N concurrent users"
// line gives the connections, and its "[error] socket: ..." lines say why transactions failed
// (read, connect, timeout, write; failures it did not explain count as read errors). Figures are
// kept as siege printed them (docs/import.md); labels are left empty. Throws UserError naming
// file:line and the line siege would have printed there when a summary is incomplete.
std::vector<ImportedCell> parse_siege(const SourceText& source, std::size_t begin, std::size_t end);

// The whole file.
ImportedDocument parse_siege_file(const SourceText& source);

}  // namespace benchctl
