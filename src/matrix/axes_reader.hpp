#pragma once

#include <optional>
#include <string>
#include <vector>

#include "matrix/document.hpp"
#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

class ProblemList;

// One value of an axis as written, with the partial settings it lays over the top level.
struct AxisValueSource {
    AxisValue value;
    SourceLocation where;
    std::optional<DocNode> target;      // partial target settings
    std::optional<DocNode> load;        // partial load settings
    std::optional<DocNode> thresholds;  // thresholds laid over the top level's
};

struct AxisSource {
    std::string name;
    SourceLocation where;
    std::vector<AxisValueSource> values;
};

// The names of an axis's values, in the file's order (for hints and id globs).
std::vector<std::string> value_names(const AxisSource& axis);

// True for a value name: letters, digits, '-' and '_' (a '.' joins value names in cell ids).
bool is_value_name(std::string_view name);

// Reads `axes:`, adding every problem to `problems`: an axis name that is not [a-z0-9_]+ or is
// taken (`reserved`: port, run_dir, cell, env, service names), an axis with no values, a value
// name with '.' or other characters, a duplicate value, unknown keys of a value, a field that is
// not a string or uses a variable other than the run-time ones (`runtime`). Values and axes
// with problems are still returned when they have a usable name, so later checks can go on.
std::vector<AxisSource> read_axes(const DocNode& axes, const std::vector<std::string>& reserved,
                                  const Variables& runtime, ProblemList& problems);

// `axes` as the Matrix keeps them.
std::vector<Axis> to_axes(const std::vector<AxisSource>& axes);

}  // namespace benchctl
