#include "matrix/matrix_error.hpp"

#include <fmt/format.h>

namespace benchctl {

namespace {

std::string first_hint(const std::vector<MatrixProblem>& problems) {
    std::string hint = problems.empty() ? "" : problems.front().hint;
    if (problems.size() > 1) {
        std::string more = fmt::format("{} more problem{}: see benchctl validate",
                                       problems.size() - 1, problems.size() == 2 ? "" : "s");
        hint = hint.empty() ? more : hint + " (" + more + ")";
    }
    return hint;
}

}  // namespace

MatrixError::MatrixError(std::vector<MatrixProblem> problems)
    : UserError(problems.empty() ? "invalid matrix" : problems.front().what,
                problems.empty() ? "" : problems.front().where.to_string(), first_hint(problems)),
      m_problems(std::move(problems)) {}

}  // namespace benchctl
