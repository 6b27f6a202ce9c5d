// `benchctl validate MATRIX [--set key=value ...]`: loads the matrix file and says "ok" with the
// number of cells, or prints every problem as "file:line:col: error: what; hint" on stderr and
// exits 2.

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "matrix/matrix_error.hpp"
#include "matrix/matrix_loader.hpp"
#include "matrix_flags.hpp"

namespace benchctl {

namespace {

struct ValidateFlags {
    MatrixFlags matrix;
};

std::string axis_summary(const Matrix& matrix) {
    std::vector<std::string> names;
    for (const Axis& axis : matrix.axes)
        names.push_back(axis.name);
    return fmt::format("{}", fmt::join(names, " x "));
}

int run_validate_command(const ValidateFlags& flags) {
    const MatrixOptions options = matrix_options(flags.matrix, HostChecks::yes);
    try {
        Matrix matrix = load_matrix(flags.matrix.file, options);
        fmt::print("{}: ok, {} cell{} (axes: {})\n", flags.matrix.file, matrix.cells.size(),
                   matrix.cells.size() == 1 ? "" : "s", axis_summary(matrix));
        return 0;
    } catch (const MatrixError& error) {
        std::fflush(stdout);
        fmt::print(stderr, "{}", format_problems(error.problems()));
        return k_exit_invalid;
    }
}

}  // namespace

CommandAction define_validate_command(CLI::App& command) {
    auto flags = std::make_shared<ValidateFlags>();
    add_matrix_flags(command, flags->matrix);
    return [flags] { return run_validate_command(*flags); };
}

}  // namespace benchctl
