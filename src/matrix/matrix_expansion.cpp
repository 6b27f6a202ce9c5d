#include "matrix/matrix_expansion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

// axis index -> value index; std::nullopt where a rule says nothing about an axis.
using Selection = std::vector<std::optional<std::size_t>>;

std::vector<std::string> axis_names(const std::vector<AxisSource>& axes) {
    std::vector<std::string> names;
    for (const AxisSource& axis : axes)
        names.push_back(axis.name);
    return names;
}

std::vector<std::string> value_names(const AxisSource& axis) {
    std::vector<std::string> names;
    for (const AxisValueSource& value : axis.values)
        names.push_back(value.value.name);
    return names;
}

std::optional<std::size_t> find_axis(const std::vector<AxisSource>& axes, const std::string& name) {
    for (std::size_t i = 0; i < axes.size(); ++i) {
        if (axes[i].name == name)
            return i;
    }
    return std::nullopt;
}

std::optional<std::size_t> find_value(const AxisSource& axis, const std::string& name) {
    for (std::size_t i = 0; i < axis.values.size(); ++i) {
        if (axis.values[i].value.name == name)
            return i;
    }
    return std::nullopt;
}

std::vector<CellPlan> cartesian_product(const std::vector<AxisSource>& axes) {
    std::vector<CellPlan> plans{CellPlan{}};
    for (const AxisSource& axis : axes) {
        std::vector<CellPlan> next;
        for (const CellPlan& plan : plans) {
            for (std::size_t v = 0; v < axis.values.size(); ++v) {
                CellPlan longer = plan;
                longer.values.push_back(v);
                next.push_back(std::move(longer));
            }
        }
        plans = std::move(next);
    }
    return plans;
}

bool matches(const CellPlan& plan, const Selection& selection) {
    for (std::size_t a = 0; a < selection.size(); ++a) {
        if (selection[a] && plan.values[a] != *selection[a])
            return false;
    }
    return true;
}

// The rules of `exclude:` or `include:` as a list of maps; reports anything else.
std::vector<const DocNode*> rule_maps(const DocNode* rules, const char* section,
                                      ProblemList& problems) {
    std::vector<const DocNode*> maps;
    if (rules == nullptr || rules->kind == DocNode::Kind::null)
        return maps;
    if (!rules->is_list()) {
        problems.add(
            rules->where,
            fmt::format("{} expects a list of rules, got {}", section, kind_name(rules->kind)),
            "write - {axis: value, ...} entries");
        return maps;
    }
    for (const DocNode& rule : rules->items) {
        if (rule.is_map() && !rule.entries.empty()) {
            check_duplicate_keys(rule, problems);
            maps.push_back(&rule);
        } else {
            problems.add(rule.where,
                         fmt::format("an {} rule must be a map of axis names to values", section),
                         "write {axis: value, ...}");
        }
    }
    return maps;
}

// The value index one rule entry names, or nullopt after reporting why it names none.
std::optional<std::size_t> rule_value(const AxisSource& axis, const DocEntry& entry,
                                      ProblemList& problems) {
    if (!entry.value.is_scalar()) {
        problems.add(
            entry.value.where,
            fmt::format("{} expects a value name, got {}", entry.key, kind_name(entry.value.kind)),
            fmt::format("name one value of axis '{}'", axis.name));
        return std::nullopt;
    }
    if (auto index = find_value(axis, entry.value.scalar))
        return index;
    problems.add(entry.value.where,
                 fmt::format("unknown value '{}' of axis '{}'", entry.value.scalar, axis.name),
                 unknown_name_hint(entry.value.scalar, value_names(axis), "its values are"));
    return std::nullopt;
}

std::optional<Selection> exclude_selection(const std::vector<AxisSource>& axes, const DocNode& rule,
                                           ProblemList& problems) {
    Selection selection(axes.size());
    bool ok = true;
    for (const DocEntry& entry : rule.entries) {
        std::optional<std::size_t> axis = find_axis(axes, entry.key);
        if (!axis) {
            problems.add(entry.key_where,
                         fmt::format("unknown axis '{}' in exclude rule", entry.key),
                         unknown_name_hint(entry.key, axis_names(axes), "axes"));
            ok = false;
            continue;
        }
        selection[*axis] = rule_value(axes[*axis], entry, problems);
        ok = ok && selection[*axis].has_value();
    }
    if (!ok)
        return std::nullopt;
    return selection;
}

// The value an include rule names: an existing one, or a new plain value appended to the axis.
std::optional<std::size_t> include_value(AxisSource& axis, const DocEntry& entry,
                                         ProblemList& problems) {
    if (entry.value.is_scalar() && !find_value(axis, entry.value.scalar)) {
        const std::string& name = entry.value.scalar;
        std::optional<std::string> typo = closest_name(name, value_names(axis), 1);
        if (!typo && is_value_name(name)) {
            AxisValueSource added;
            added.value = AxisValue{axis.name, name, name, {}};
            added.where = entry.value.where;
            axis.values.push_back(std::move(added));
            return axis.values.size() - 1;
        }
        if (typo) {
            problems.add(entry.value.where,
                         fmt::format("unknown value '{}' of axis '{}'", name, axis.name),
                         fmt::format("did you mean '{}'? (an include rule may add a new value, but "
                                     "this looks like a typo)",
                                     *typo));
            return std::nullopt;
        }
    }
    return rule_value(axis, entry, problems);
}

struct IncludeRule {
    std::vector<std::size_t> values;
    std::optional<DocNode> target, load;
};

std::optional<IncludeRule> read_include(std::vector<AxisSource>& axes, const DocNode& rule,
                                        ProblemList& problems) {
    Selection selection(axes.size());
    IncludeRule include;
    bool ok = true;
    std::vector<std::string> keys = axis_names(axes);
    keys.insert(keys.end(), {"target", "load"});
    for (const DocEntry& entry : rule.entries) {
        if (entry.key == "target" || entry.key == "load") {
            const MapSchema& schema = entry.key == "target" ? target_schema() : load_schema();
            check_map(entry.value, schema, problems);
            if (entry.value.is_map())
                (entry.key == "target" ? include.target : include.load) = entry.value;
            continue;
        }
        std::optional<std::size_t> axis = find_axis(axes, entry.key);
        if (!axis) {
            problems.add(entry.key_where,
                         fmt::format("unknown key '{}' in include rule", entry.key),
                         unknown_name_hint(entry.key, keys));
            ok = false;
            continue;
        }
        selection[*axis] = include_value(axes[*axis], entry, problems);
        ok = ok && selection[*axis].has_value();
    }
    for (std::size_t a = 0; ok && a < axes.size(); ++a) {
        if (selection[a])
            continue;
        problems.add(rule.where,
                     fmt::format("include rule names no value for axis '{}'", axes[a].name),
                     "an include rule names one value of every axis");
        ok = false;
    }
    if (!ok)
        return std::nullopt;
    for (const auto& index : selection)
        include.values.push_back(*index);
    return include;
}

void apply_include(std::vector<CellPlan>& plans, IncludeRule include) {
    auto same = std::find_if(plans.begin(), plans.end(),
                             [&](const CellPlan& plan) { return plan.values == include.values; });
    if (same == plans.end()) {
        plans.push_back(CellPlan{include.values, {}, {}});
        same = plans.end() - 1;
    }
    if (include.target)
        same->targets.push_back(std::move(*include.target));
    if (include.load)
        same->loads.push_back(std::move(*include.load));
}

}  // namespace

std::vector<CellPlan> expand_axes(std::vector<AxisSource>& axes, const DocNode* exclude,
                                  const DocNode* include, ProblemList& problems) {
    std::vector<CellPlan> plans = cartesian_product(axes);
    for (const DocNode* rule : rule_maps(exclude, "exclude", problems)) {
        if (auto selection = exclude_selection(axes, *rule, problems)) {
            std::erase_if(plans, [&](const CellPlan& plan) { return matches(plan, *selection); });
        }
    }
    for (const DocNode* rule : rule_maps(include, "include", problems)) {
        if (auto rule_values = read_include(axes, *rule, problems)) {
            apply_include(plans, std::move(*rule_values));
        }
    }
    std::stable_sort(plans.begin(), plans.end(),
                     [](const CellPlan& a, const CellPlan& b) { return a.values < b.values; });
    return plans;
}

}  // namespace benchctl
