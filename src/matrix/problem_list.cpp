#include "matrix/problem_list.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

namespace benchctl {

void ProblemList::add(SourceLocation where, std::string what, std::string hint) {
    m_problems.push_back({std::move(where), std::move(what), std::move(hint)});
}

std::vector<MatrixProblem> ProblemList::sorted() const {
    std::vector<MatrixProblem> unique;
    std::set<std::tuple<std::string, std::string>> seen;
    for (const MatrixProblem& problem : m_problems) {
        if (seen.emplace(problem.where.to_string(), problem.what).second)
            unique.push_back(problem);
    }
    auto order = [](const MatrixProblem& problem) {
        int line = problem.where.line > 0 ? problem.where.line : std::numeric_limits<int>::max();
        return std::make_tuple(line, problem.where.column);
    };
    std::stable_sort(
        unique.begin(), unique.end(),
        [&](const MatrixProblem& a, const MatrixProblem& b) { return order(a) < order(b); });
    return unique;
}

}  // namespace benchctl
