#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/document.hpp"
#include "matrix/variables.hpp"
#include "services/service_kind.hpp"

namespace benchctl {

class ProblemList;

// The variables the strings of one cell (or one service) may use.
struct VariableScope {
    Variables values;   // substituted at expansion: ${server}, ${server.label}, fields
    Variables runtime;  // left for the runner: port, run_dir, cell, <service>.port
    // Why this cell's value lacks a field that other values of its axis have ("server.workers"),
    // or nullopt; asked only when a variable is unknown. May be empty.
    std::function<std::optional<std::string>(std::string_view name)> why_missing;
    std::vector<std::string> value_order;  // the names of `values` in axis order, for hints

    // The names known here, for hints: ${server}, ${server.label}, ..., ${port}, ${env:NAME}.
    std::vector<std::string> known_names() const;
};

// A service as its variables know it: its name and its kind (nullopt: one given as a command).
struct ServiceName {
    std::string name;
    std::optional<ServiceKind> kind;
};

// The names of the run-time variables of a matrix with these services: port, run_dir, cell and
// each service's <name>.port, <name>.host and, for a service of a known kind, <name>.url (and
// postgres' <name>.user, .password, .database), each mapped to an example value (used to check
// values such as a URL).
Variables runtime_variables(const std::vector<ServiceName>& services);

// Checks every ${name} of a scalar against `scope` and adds a problem at its location for each
// unknown name, unset ${env:NAME} or malformed reference. Returns true when all are known.
bool check_variables(const DocNode& scalar, const VariableScope& scope, ProblemList& problems);

// Substitutes the expansion-time variables in every scalar of `node` (keys are left as written)
// with substitute_variables_partially, leaving run-time variables and "$$" for the runner. A
// scalar with a problem is reported, left as written and marked unresolved.
void substitute_tree(DocNode& node, const VariableScope& scope, ProblemList& problems);

}  // namespace benchctl
