#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "matrix/axes_reader.hpp"
#include "matrix/document.hpp"

namespace benchctl {

class ProblemList;

// One cell before its settings are built: a value of every axis, and the settings that include
// rules add to it.
struct CellPlan {
    std::vector<std::size_t> values;  // index into each axis's values, in axis order
    std::vector<DocNode> targets;     // partial target settings from include rules, in order
    std::vector<DocNode> loads;       // partial load settings from include rules, in order
    std::vector<DocNode> thresholds;  // thresholds from include rules, in order
};

// The most cells one matrix may expand to (after exclude, include and --only). Larger matrices
// are refused before their cells are built: 10,000 cells of one second each already take hours.
constexpr std::size_t k_max_cells = 10'000;

// What the expansion reads besides the axes.
struct ExpansionInput {
    const DocNode* exclude = nullptr;  // `exclude:`, or nullptr
    const DocNode* include = nullptr;  // `include:`, or nullptr
    std::vector<std::string> only;     // --only terms, as typed (see cell_filter.hpp)
    SourceLocation axes_where;         // where problems of the whole expansion are reported
};

// The cells of a matrix with CI-matrix semantics: the cartesian product of the axes (first axis
// slowest), minus every cell matching all keys of an exclude rule, plus one cell per include
// rule, restricted to the cells an --only term selects. An include rule names a value for every
// axis; a name the axis lacks adds it as a new plain value (appended to `axes`), unless it is one
// edit away from an existing value (then it is reported as a likely typo). Its target:/load: keys
// are merged into the cell, which it adds when absent. Rules naming unknown axes or values are
// reported and ignored. The cells are counted before any is listed: more than k_max_cells is
// reported at `axes_where` (with the count and how to narrow it) and gives no cell. An expansion
// with no cell, and an --only term selecting none, are reported too. The result is in axis
// order (by value index, first axis slowest).
std::vector<CellPlan> expand_axes(std::vector<AxisSource>& axes, const ExpansionInput& input,
                                  ProblemList& problems);

}  // namespace benchctl
