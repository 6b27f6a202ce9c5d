#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "matrix/matrix_loader.hpp"

namespace benchctl {

// The flags every command that reads a matrix file shares (run, validate, list): the file, and
// `--set key=value` overrides in the order given.
struct MatrixFlags {
    std::string file;
    std::vector<std::string> settings;
};

// Declares the matrix file argument and the repeatable --set option on `command`.
void add_matrix_flags(CLI::App& command, MatrixFlags& flags);

// Parses every --set. Throws UserError naming --set when one has no '='.
std::vector<SettingOverride> setting_overrides(const MatrixFlags& flags);

}  // namespace benchctl
