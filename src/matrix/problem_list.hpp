#pragma once

#include <string>
#include <vector>

#include "matrix/matrix_loader.hpp"

namespace benchctl {

// Collects the problems of one matrix file as validation goes on, so that one run of
// `benchctl validate` shows all of them.
class ProblemList {
  public:
    void add(SourceLocation where, std::string what, std::string hint = "");
    bool empty() const { return m_problems.empty(); }
    std::size_t size() const { return m_problems.size(); }

    // Every problem once (the same what at the same place counts once), in file order: by line
    // and column, problems without a line (--set) last, ties in the order they were found.
    std::vector<MatrixProblem> sorted() const;

  private:
    std::vector<MatrixProblem> m_problems;
};

}  // namespace benchctl
