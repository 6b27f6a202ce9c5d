#include "matrix/matrix.hpp"

#include <fmt/format.h>

#include "matrix/matrix_loader.hpp"

namespace benchctl {

bool is_run_name(std::string_view text) {
    return !text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") ==
                                std::string_view::npos;
}

std::string default_label(const std::string& axis, const std::string& name) {
    bool number_like = !name.empty() && name[0] >= '0' && name[0] <= '9';
    return number_like ? axis + "=" + name : name;
}

std::string MatrixProblem::to_string() const {
    std::string text = fmt::format("{}: error: {}", where.to_string(), what);
    if (!hint.empty())
        text += "; " + hint;
    return text;
}

std::string format_problems(const std::vector<MatrixProblem>& problems) {
    std::string text;
    for (const MatrixProblem& problem : problems)
        text += problem.to_string() + "\n";
    return text;
}

}  // namespace benchctl
