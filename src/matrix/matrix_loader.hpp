#pragma once

#include <string>
#include <vector>

#include "matrix/matrix.hpp"

namespace benchctl {

// One problem found in a matrix file, with where it is and how to fix it.
struct MatrixProblem {
    SourceLocation where;
    std::string what;  // "unknown key 'connectoins'"
    std::string hint;  // "did you mean 'connections'?"; may be empty
    // "file:line:col: error: what; hint" (as `benchctl validate` prints it).
    std::string to_string() const;
};

// Every problem, one to_string() line each, each ending in '\n': what `benchctl validate` prints
// on stderr and what the golden tests compare against.
std::string format_problems(const std::vector<MatrixProblem>& problems);

// `key=value` from `--set`: a dotted path into the document (load.duration=2s). Applied after
// parsing and before validation; it beats the same key set by an axis value. A value starting
// with '[' or '{' is read as YAML flow (--set 'axes.mode=[sync]'); anything else is a string.
struct SettingOverride {
    std::string path;
    std::string value;
};

// Whether loading a matrix also checks the machine it runs on: programs exist and cwd
// directories do (see host_check.hpp). `benchctl validate` and `run` do; `list` does not.
enum class HostChecks { no, yes };

// What to load besides the file itself.
struct MatrixOptions {
    std::vector<SettingOverride> overrides;  // --set, in the order given
    // --only terms: run only the cells one of them selects ("server=nginx,endpoint=small" or a
    // glob over cell ids, "nginx.*"; see docs/matrix.md).
    std::vector<std::string> only;
    HostChecks host_checks = HostChecks::no;
};

// Reads, validates and expands a matrix file. Collects every problem it can find (unknown keys
// with "did you mean", wrong types, unknown ${variables}, duplicate axis values, YAML syntax
// errors, an expansion with no cell or with more than k_max_cells, an --only that selects
// nothing) and throws MatrixError holding all of them.
Matrix load_matrix(const std::string& path, const MatrixOptions& options = {});

// Same, from text already in memory; `path` names it in messages and sets the base directory.
Matrix load_matrix_text(const std::string& text, const std::string& path,
                        const MatrixOptions& options = {});

// Parses "load.duration=2s". Throws UserError naming --set when there is no '='.
SettingOverride parse_setting_override(const std::string& text);

}  // namespace benchctl
