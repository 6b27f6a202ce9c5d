#pragma once

#include <vector>

#include "matrix/document.hpp"
#include "metrics/threshold.hpp"

namespace benchctl {

class ProblemList;

// Checks one `thresholds:` map as written (top level, an axis value, an include rule, --set):
// every key a metric of the table (its name or short name, with "did you mean"), no key twice and
// no two keys for one metric, every value an expression string or a list of them that
// parse_threshold accepts. A key with no value is allowed: in a layer it removes the inherited
// bound. Problems go to `problems` at the key or the value.
void check_thresholds(const DocNode& thresholds, ProblemList& problems);

// The thresholds of a merged map already checked by check_thresholds, in document order (a
// list's expressions in order); keys without a value and expressions that do not parse are
// skipped.
std::vector<Threshold> read_thresholds(const DocNode& thresholds);

}  // namespace benchctl
