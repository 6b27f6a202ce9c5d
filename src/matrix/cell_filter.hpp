#pragma once

#include <optional>
#include <string>
#include <vector>

#include "matrix/axes_reader.hpp"
#include "matrix/cell_space.hpp"

namespace benchctl {

class ProblemList;

// Where an --only term is named in messages: "--only server=nginx" (no line).
SourceLocation only_location(const std::string& term);

// Reads the --only terms (`benchctl run --only 'server=nginx,endpoint=small' --only 'tornado.*'`)
// against the axes. A term is a comma-separated list of conditions that a cell must all meet:
// `axis=pattern` (the cell's value on that axis matches the shell glob `pattern`) or a shell
// glob over the cell id. A cell is selected when it meets every condition of some term.
// Adds a problem at only_location(term) for a malformed term, an unknown axis ("did you mean")
// and a value pattern that no value of its axis matches; returns nullopt when there was one.
// An empty `terms` gives no pattern (every cell).
std::optional<std::vector<CellPattern>> read_cell_filters(const std::vector<std::string>& terms,
                                                          const std::vector<AxisSource>& axes,
                                                          ProblemList& problems);

// The hint for an --only term that selects no cell: what a term looks like, with the axes' value
// names (a few per axis) and an example cell id.
std::string empty_filter_hint(const std::string& term, const std::vector<AxisSource>& axes,
                              const std::string& example_id);

}  // namespace benchctl
