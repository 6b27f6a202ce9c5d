#include "matrix/axes_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "matrix/threshold_reader.hpp"
#include "matrix/variable_scope.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

const std::vector<std::string> k_value_keys{"name", "label", "target", "load", "thresholds"};

bool is_made_of(std::string_view text, std::string_view allowed) {
    return !text.empty() && text.find_first_not_of(allowed) == std::string_view::npos;
}

constexpr std::string_view k_lower = "abcdefghijklmnopqrstuvwxyz0123456789_";
constexpr std::string_view k_any_case =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

// Name and label of a value written as a map; false when it has no usable name.
bool read_value_name(const DocNode& map, AxisValueSource& source, const std::string& axis,
                     ProblemList& problems) {
    const DocNode* name = map.find("name");
    if (name == nullptr || !name->is_scalar()) {
        problems.add(name != nullptr ? name->where : map.where,
                     fmt::format("a value of axis '{}' has no name", axis),
                     "add name: <value name> (used in cell ids and ${" + axis + "})");
        return false;
    }
    source.value.name = name->scalar;
    source.value.label = default_label(axis, name->scalar);
    if (const DocNode* label = map.find("label")) {
        if (label->is_scalar()) {
            source.value.label = label->scalar;
        } else {
            problems.add(label->where,
                         fmt::format("label expects a string, got {}", kind_name(label->kind)),
                         "write the display text, e.g. label: WSGI Gunicorn Gevent");
        }
    }
    return true;
}

void read_field(const DocEntry& entry, AxisValueSource& source, const Variables& runtime,
                ProblemList& problems) {
    if (!entry.value.is_scalar()) {
        problems.add(
            entry.key_where, fmt::format("unknown key '{}' in axis value", entry.key),
            closest_name(entry.key, k_value_keys)
                ? unknown_name_hint(entry.key, k_value_keys)
                : "a field (any other key) holds a string; settings go under target: or load:");
        return;
    }
    if (auto typo = closest_name(entry.key, k_value_keys, 1)) {
        problems.add(entry.key_where, fmt::format("unknown key '{}' in axis value", entry.key),
                     fmt::format("did you mean '{}'? (rename the field if it is one)", *typo));
        return;
    }
    if (!is_made_of(entry.key, k_any_case)) {
        problems.add(entry.key_where, fmt::format("malformed field name '{}'", entry.key),
                     "use letters, digits and '_' (it is used as ${axis." + entry.key + "})");
        return;
    }
    VariableScope scope{{}, runtime, {}, {}};
    check_variables(entry.value, scope, problems);
    source.value.fields[entry.key] = entry.value.scalar;
}

void read_value_map(const DocNode& map, AxisValueSource& source, const Variables& runtime,
                    ProblemList& problems) {
    check_duplicate_keys(map, problems);
    for (const DocEntry& entry : map.entries) {
        if (entry.key == "name" || entry.key == "label")
            continue;
        if (entry.key == "target") {
            check_map(entry.value, target_schema(), problems);
            if (entry.value.is_map())
                source.target = entry.value;
        } else if (entry.key == "load") {
            check_map(entry.value, load_schema(), problems);
            if (entry.value.is_map())
                source.load = entry.value;
        } else if (entry.key == "thresholds") {
            check_thresholds(entry.value, problems);
            if (entry.value.is_map())
                source.thresholds = entry.value;
        } else {
            read_field(entry, source, runtime, problems);
        }
    }
}

std::optional<AxisValueSource> read_value(const DocNode& node, const std::string& axis,
                                          const Variables& runtime, ProblemList& problems) {
    AxisValueSource source;
    source.value.axis = axis;
    source.where = node.where;
    if (node.is_scalar()) {
        source.value.name = node.scalar;
        source.value.label = default_label(axis, node.scalar);
    } else if (node.is_map()) {
        if (!read_value_name(node, source, axis, problems))
            return std::nullopt;
        read_value_map(node, source, runtime, problems);
    } else {
        problems.add(node.where,
                     fmt::format("a value of axis '{}' is {}", axis, kind_name(node.kind)),
                     "write a name, or a map with name:, label:, target:, load: and fields");
        return std::nullopt;
    }
    if (!is_value_name(source.value.name)) {
        problems.add(node.where,
                     fmt::format("malformed value name '{}' in axis '{}'", source.value.name, axis),
                     "use letters, digits, '-' and '_' ('.' joins value names in cell ids); put "
                     "display text in label:");
    }
    return source;
}

// Reports `value` when `first_lines` already holds its name; else records it. A map of the
// names seen keeps an axis of many values linear.
void check_duplicate_value(const std::string& axis, const AxisValueSource& value,
                           std::unordered_map<std::string, int>& first_lines,
                           ProblemList& problems) {
    auto [first, inserted] = first_lines.emplace(value.value.name, value.where.line);
    if (inserted)
        return;
    problems.add(value.where,
                 fmt::format("duplicate value '{}' in axis '{}'", value.value.name, axis),
                 fmt::format("it is first at line {}; value names must be unique within an axis",
                             first->second));
}

bool check_axis_name(const DocEntry& entry, const std::vector<std::string>& reserved,
                     ProblemList& problems) {
    if (!is_made_of(entry.key, k_lower)) {
        problems.add(entry.key_where, fmt::format("malformed axis name '{}'", entry.key),
                     "use lowercase letters, digits and '_' (it is used as ${" + entry.key + "})");
        return false;
    }
    if (std::find(reserved.begin(), reserved.end(), entry.key) != reserved.end()) {
        problems.add(
            entry.key_where, fmt::format("axis name '{}' is taken", entry.key),
            "port, run_dir, cell, env and service names are variables already; rename the axis");
        return false;
    }
    return true;
}

AxisSource read_axis(const DocEntry& entry, const Variables& runtime, ProblemList& problems) {
    AxisSource axis{entry.key, entry.key_where, {}};
    const DocNode& list = entry.value;
    if (!list.is_list()) {
        problems.add(list.kind == DocNode::Kind::null ? entry.key_where : list.where,
                     fmt::format("axis '{}' expects a list of values, got {}", entry.key,
                                 kind_name(list.kind)),
                     "write [a, b] or a list of '- name: ...' entries");
        return axis;
    }
    if (list.items.empty()) {
        problems.add(list.where, fmt::format("axis '{}' has no values", entry.key),
                     "give it at least one value, or remove it");
    }
    std::unordered_map<std::string, int> first_lines;
    for (const DocNode& item : list.items) {
        std::optional<AxisValueSource> value = read_value(item, entry.key, runtime, problems);
        if (!value)
            continue;
        check_duplicate_value(axis.name, *value, first_lines, problems);
        axis.values.push_back(std::move(*value));
    }
    return axis;
}

}  // namespace

std::vector<std::string> value_names(const AxisSource& axis) {
    std::vector<std::string> names;
    for (const AxisValueSource& value : axis.values)
        names.push_back(value.value.name);
    return names;
}

bool is_value_name(std::string_view name) {
    return is_made_of(name, std::string(k_any_case) + "-");
}

std::vector<AxisSource> read_axes(const DocNode& axes, const std::vector<std::string>& reserved,
                                  const Variables& runtime, ProblemList& problems) {
    std::vector<AxisSource> result;
    if (!axes.is_map() || axes.entries.empty()) {
        problems.add(axes.where,
                     axes.is_map()
                         ? "axes names no axis"
                         : fmt::format("axes expects a map of axes, got {}", kind_name(axes.kind)),
                     "write one list of values per axis, e.g. axes: {mode: [sync, async]}");
        return result;
    }
    check_duplicate_keys(axes, problems);
    std::unordered_set<std::string_view> seen;  // an axis set twice is reported above
    for (const DocEntry& entry : axes.entries) {
        if (check_axis_name(entry, reserved, problems) && seen.insert(entry.key).second)
            result.push_back(read_axis(entry, runtime, problems));
    }
    return result;
}

std::vector<Axis> to_axes(const std::vector<AxisSource>& axes) {
    std::vector<Axis> result;
    for (const AxisSource& source : axes) {
        Axis axis{source.name, {}};
        for (const AxisValueSource& value : source.values)
            axis.values.push_back(value.value);
        result.push_back(std::move(axis));
    }
    return result;
}

}  // namespace benchctl
