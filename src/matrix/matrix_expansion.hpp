#pragma once

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
};

// The cells of a matrix with CI-matrix semantics: the cartesian product of the axes (first axis
// slowest), minus every cell matching all keys of an exclude rule, plus one cell per include
// rule. An include rule names a value for every axis; a name the axis lacks adds it as a new
// plain value (appended to `axes`), unless it is one edit away from an existing value (then it
// is reported as a likely typo). Its target:/load: keys are merged into the cell, which it adds
// when absent. Rules naming unknown axes or values are reported and ignored. The result is in
// axis order (by value index, first axis slowest); it may be empty (the caller reports that).
std::vector<CellPlan> expand_axes(std::vector<AxisSource>& axes, const DocNode* exclude,
                                  const DocNode* include, ProblemList& problems);

}  // namespace benchctl
