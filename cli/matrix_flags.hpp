#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "matrix/matrix_loader.hpp"

namespace benchctl {

// The flags every command that reads a matrix file shares (run, validate, list): the file,
// `--set key=value` overrides in the order given, and `--only` terms choosing a subset of cells.
struct MatrixFlags {
    std::string file;
    std::vector<std::string> settings;
    std::vector<std::string> only;
};

// Whether a command may leave the matrix file out (`run --resume DIR` takes it from the run).
enum class MatrixArgument { required, optional };

// Declares the matrix file argument, the repeatable --set and the repeatable --only on `command`.
void add_matrix_flags(CLI::App& command, MatrixFlags& flags,
                      MatrixArgument argument = MatrixArgument::required);

// The options load_matrix takes: every --set parsed, every --only as typed, and whether to check
// this machine's programs and directories too. Throws UserError naming --set when one has no
// '='.
MatrixOptions matrix_options(const MatrixFlags& flags, HostChecks host_checks);

}  // namespace benchctl
