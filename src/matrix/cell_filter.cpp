#include "matrix/cell_filter.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>

#include "matrix/problem_list.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

constexpr std::size_t k_values_named_per_axis = 6;

std::string trimmed(std::string_view text) {
    std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return "";
    std::size_t last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split_conditions(const std::string& term) {
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (true) {
        std::size_t comma = term.find(',', begin);
        parts.push_back(trimmed(std::string_view(term).substr(begin, comma - begin)));
        if (comma == std::string::npos)
            return parts;
        begin = comma + 1;
    }
}

bool has_wildcard(const std::string& pattern) {
    return pattern.find_first_of("*?[") != std::string::npos;
}

// "a, b, c, ... (20 values)": the first few names of an axis, for hints.
std::string some_values(const AxisSource& axis) {
    std::vector<std::string> names = value_names(axis);
    if (names.size() <= k_values_named_per_axis)
        return fmt::format("{}", fmt::join(names, ", "));
    names.resize(k_values_named_per_axis);
    return fmt::format("{}, ... ({} values)", fmt::join(names, ", "), axis.values.size());
}

// Marks the values of `axis` matching `pattern`; reports when none does.
bool restrict_axis(const AxisSource& axis, const std::string& pattern, std::vector<bool>& allowed,
                   const SourceLocation& where, ProblemList& problems) {
    bool any = false;
    for (std::size_t v = 0; v < axis.values.size(); ++v) {
        bool match = fnmatch(pattern.c_str(), axis.values[v].value.name.c_str(), 0) == 0;
        allowed[v] = allowed[v] && match;
        any = any || match;
    }
    if (any)
        return true;
    std::string what = has_wildcard(pattern)
                           ? fmt::format("no value of axis '{}' matches '{}'", axis.name, pattern)
                           : fmt::format("axis '{}' has no value '{}'", axis.name, pattern);
    std::optional<std::string> close =
        has_wildcard(pattern) ? std::nullopt : closest_name(pattern, value_names(axis));
    std::string hint = close ? fmt::format("did you mean '{}'?", *close)
                             : fmt::format("its values are: {}", some_values(axis));
    problems.add(where, std::move(what), std::move(hint));
    return false;
}

// One term as a pattern; nullopt after reporting what is wrong with it.
std::optional<CellPattern> read_term(const std::string& term, const std::vector<AxisSource>& axes,
                                     ProblemList& problems) {
    SourceLocation where = only_location(term);
    CellPattern pattern;
    pattern.values.resize(axes.size());
    bool ok = true;
    for (const std::string& condition : split_conditions(term)) {
        std::size_t equals = condition.find('=');
        if (condition.empty() || equals == 0 || equals + 1 == condition.size()) {
            problems.add(where, fmt::format("malformed --only condition '{}'", condition),
                         "write axis=value (comma = and), or a glob over cell ids such as "
                         "'nginx.*'; repeat --only for or");
            ok = false;
            continue;
        }
        if (equals == std::string::npos) {
            pattern.id_globs.push_back(condition);
            continue;
        }
        std::string axis_name = trimmed(std::string_view(condition).substr(0, equals));
        std::string value = trimmed(std::string_view(condition).substr(equals + 1));
        auto axis = std::find_if(axes.begin(), axes.end(),
                                 [&](const AxisSource& a) { return a.name == axis_name; });
        if (axis == axes.end()) {
            std::vector<std::string> names;
            for (const AxisSource& a : axes)
                names.push_back(a.name);
            problems.add(where, fmt::format("unknown axis '{}' in --only", axis_name),
                         unknown_name_hint(axis_name, names, "the axes are"));
            ok = false;
            continue;
        }
        auto& allowed = pattern.values[static_cast<std::size_t>(axis - axes.begin())];
        if (!allowed)
            allowed.emplace(axis->values.size(), true);
        ok = restrict_axis(*axis, value, *allowed, where, problems) && ok;
    }
    if (!ok)
        return std::nullopt;
    return pattern;
}

}  // namespace

SourceLocation only_location(const std::string& term) {
    return {"--only " + term, 0, 0};
}

std::optional<std::vector<CellPattern>> read_cell_filters(const std::vector<std::string>& terms,
                                                          const std::vector<AxisSource>& axes,
                                                          ProblemList& problems) {
    std::vector<CellPattern> patterns;
    bool ok = true;
    for (const std::string& term : terms) {
        if (auto pattern = read_term(term, axes, problems)) {
            patterns.push_back(std::move(*pattern));
        } else {
            ok = false;
        }
    }
    if (!ok)
        return std::nullopt;
    return patterns;
}

std::string empty_filter_hint(const std::string& term, const std::vector<AxisSource>& axes,
                              const std::string& example_id) {
    for (const AxisSource& axis : axes) {
        std::vector<std::string> names = value_names(axis);
        if (std::find(names.begin(), names.end(), term) != names.end()) {
            return fmt::format(
                "a term without '=' is a glob over whole cell ids such as '{}'; "
                "write {}={} for the cells with that value",
                example_id, axis.name, term);
        }
    }
    std::vector<std::string> axes_text;
    for (const AxisSource& axis : axes)
        axes_text.push_back(fmt::format("{} ({})", axis.name, some_values(axis)));
    return fmt::format("cell ids look like '{}'; the axes are {}", example_id,
                       fmt::join(axes_text, "; "));
}

}  // namespace benchctl
