#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/document.hpp"
#include "matrix/matrix_schema.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

class ProblemList;

// Checks one map of a matrix file against its schema, adding to `problems`: unknown keys (with
// "did you mean"), keys set twice, values of the wrong kind or malformed (a duration that is
// not one), two keys of one exclusive group, recursing into nested maps. Values that hold
// variables are checked only when `runtime_examples` is given: the map has then been through
// expansion, every scalar is a template with only run-time variables left, and those are filled
// with these example values (a typed value such as a duration may hold none: that is a problem).
// Scalars marked unresolved were reported already and are skipped.
void check_map(const DocNode& map, const MapSchema& schema, ProblemList& problems,
               const Variables* runtime_examples = nullptr);

// Checks one value of `type` written for `key`, as check_map does.
void check_value(const DocNode& value, ValueType type, std::string_view key, ProblemList& problems,
                 const Variables* runtime_examples = nullptr);

// Reports every key of `map` that appears more than once (at the second occurrence).
void check_duplicate_keys(const DocNode& map, ProblemList& problems);

// The signal number for "TERM", "SIGTERM", "15" ...; nullopt for anything else.
std::optional<int> signal_number(std::string_view text);

// The signal names accepted, for hints.
const std::vector<std::string>& signal_names();

}  // namespace benchctl
