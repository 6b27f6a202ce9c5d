#pragma once

#include <string>
#include <vector>

#include "matrix/matrix_error.hpp"
#include "matrix/matrix_loader.hpp"

namespace benchctl::testing {

// The problems load_matrix_text reports for `text` (named `file`, or "m.yaml"), as validate
// prints them; "" when it loads.
inline std::string problems_of_file(const std::string& text, const std::string& file,
                                    const MatrixOptions& options = {}) {
    try {
        load_matrix_text(text, file, options);
    } catch (const MatrixError& error) {
        return format_problems(error.problems());
    }
    return "";
}

inline std::string problems_of(const std::string& text,
                               const std::vector<SettingOverride>& overrides = {}) {
    return problems_of_file(text, "m.yaml", {overrides, {}});
}

// The problems of `text` loaded with these --only terms.
inline std::string problems_with_only(const std::string& text,
                                      const std::vector<std::string>& only) {
    return problems_of_file(text, "m.yaml", {{}, only});
}

inline std::vector<std::string> cell_ids(const Matrix& matrix) {
    std::vector<std::string> ids;
    for (const Cell& cell : matrix.cells)
        ids.push_back(cell.id);
    return ids;
}

}  // namespace benchctl::testing
