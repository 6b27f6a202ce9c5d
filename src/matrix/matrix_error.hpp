#pragma once

#include <vector>

#include "matrix/matrix_loader.hpp"
#include "util/error.hpp"

namespace benchctl {

// Thrown by load_matrix when the file has problems; what() is the first, problems() all of them
// in file order. A UserError, so the CLI prints it and exits 2.
class MatrixError : public UserError {
  public:
    explicit MatrixError(std::vector<MatrixProblem> problems);
    const std::vector<MatrixProblem>& problems() const { return m_problems; }

  private:
    std::vector<MatrixProblem> m_problems;
};

}  // namespace benchctl
