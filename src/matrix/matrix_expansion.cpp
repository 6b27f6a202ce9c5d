#include "matrix/matrix_expansion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "matrix/cell_filter.hpp"
#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "matrix/threshold_reader.hpp"
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
            added.value = AxisValue{axis.name, name, default_label(axis.name, name), {}};
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
    std::optional<DocNode> target, load, thresholds;
};

std::optional<IncludeRule> read_include(std::vector<AxisSource>& axes, const DocNode& rule,
                                        ProblemList& problems) {
    Selection selection(axes.size());
    IncludeRule include;
    bool ok = true;
    std::vector<std::string> keys = axis_names(axes);
    keys.insert(keys.end(), {"target", "load", "thresholds"});
    for (const DocEntry& entry : rule.entries) {
        if (entry.key == "thresholds") {
            check_thresholds(entry.value, problems);
            if (entry.value.is_map())
                include.thresholds = entry.value;
            continue;
        }
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

// An exclude rule as a pattern over the axes (value indexes are below the product's sizes).
CellPattern exclude_pattern(const Selection& selection, const std::vector<std::size_t>& sizes) {
    CellPattern pattern;
    for (std::size_t a = 0; a < selection.size(); ++a) {
        if (!selection[a]) {
            pattern.values.emplace_back();
            continue;
        }
        std::vector<bool> allowed(sizes[a], false);
        allowed[*selection[a]] = true;
        pattern.values.emplace_back(std::move(allowed));
    }
    return pattern;
}

std::string cell_id(const std::vector<AxisSource>& axes, const std::vector<std::size_t>& values) {
    std::string id;
    for (std::size_t a = 0; a < axes.size(); ++a) {
        if (a > 0)
            id += '.';
        id += axes[a].values[values[a]].value.name;
    }
    return id;
}

// What the expansion works from once the rules are read.
struct Rules {
    std::vector<std::size_t> product_sizes;  // each axis's values before include rules add some
    std::vector<Selection> excludes;
    std::vector<IncludeRule> includes;
    std::optional<std::vector<CellPattern>> filters;  // nullopt: an --only term was malformed
};

CellSpace product_space(const std::vector<AxisSource>& axes, const Rules& rules,
                        std::vector<CellPattern> selected) {
    std::vector<std::vector<std::string>> names;
    for (std::size_t a = 0; a < axes.size(); ++a) {
        names.emplace_back();
        for (std::size_t v = 0; v < rules.product_sizes[a]; ++v)
            names.back().push_back(axes[a].values[v].value.name);
    }
    std::vector<CellPattern> excluded;
    for (const Selection& selection : rules.excludes)
        excluded.push_back(exclude_pattern(selection, rules.product_sizes));
    return CellSpace(std::move(names), std::move(excluded), std::move(selected));
}

bool in_product(const std::vector<std::size_t>& values, const Rules& rules) {
    for (std::size_t a = 0; a < values.size(); ++a) {
        if (values[a] >= rules.product_sizes[a])
            return false;
    }
    return true;
}

// The include rules' cells that the product (less the excluded cells) lacks and --only selects.
std::size_t added_by_includes(const std::vector<AxisSource>& axes, const Rules& rules,
                              const CellSpace& space) {
    std::set<std::vector<std::size_t>> added;
    for (const IncludeRule& include : rules.includes) {
        bool listed = in_product(include.values, rules) && !space.excludes(include.values);
        if (!listed && space.selects(include.values, cell_id(axes, include.values)))
            added.insert(include.values);
    }
    return added.size();
}

std::string product_text(const std::vector<AxisSource>& axes, const Rules& rules) {
    std::vector<std::string> factors;
    std::size_t product = 1;
    bool overflow = false;
    for (std::size_t a = 0; a < axes.size(); ++a) {
        factors.push_back(fmt::format("{} {}", rules.product_sizes[a], axes[a].name));
        std::size_t size = rules.product_sizes[a];
        overflow =
            overflow || (size != 0 && product > std::numeric_limits<std::size_t>::max() / size);
        product = overflow ? product : product * size;
    }
    return fmt::format("{} = {}", fmt::join(factors, " x "),
                       overflow ? std::string("more than 2^64") : std::to_string(product));
}

void report_too_many(const std::vector<AxisSource>& axes, const Rules& rules,
                     const ExpansionInput& input, const CellSpace& space, ProblemList& problems) {
    std::string count = fmt::format("more than {}", k_max_cells);
    bool uses_globs = std::any_of(rules.filters->begin(), rules.filters->end(),
                                  [](const CellPattern& p) { return !p.id_globs.empty(); });
    if (!uses_globs) {
        // Cheap without id globs: equal subtrees are counted once.
        try {
            constexpr std::size_t k_saturated = std::numeric_limits<std::size_t>::max();
            std::size_t exact = space.count(k_saturated - 1);
            if (exact < k_saturated - rules.includes.size())
                count = std::to_string(exact + added_by_includes(axes, rules, space));
        } catch (const CellSpace::TooLarge&) {
            // "more than" it stays.
        }
    }
    std::string example = axes.empty() || axes[0].values.empty()
                              ? "axis=value"
                              : axes[0].name + "=" + axes[0].values[0].value.name;
    problems.add(input.axes_where,
                 fmt::format("the matrix expands to {} cells ({} combinations{})", count,
                             product_text(axes, rules),
                             rules.excludes.empty() && input.only.empty()
                                 ? ""
                                 : ", before exclude rules and --only"),
                 fmt::format("benchctl runs at most {} cells; narrow it with exclude rules, fewer "
                             "axes or values, or --only (e.g. --only '{}')",
                             k_max_cells, example));
}

// The cells of the product that no exclude rule drops and --only selects, then the include
// rules' cells (added, or extending the cell they name), in axis order.
std::vector<CellPlan> listed_plans(const std::vector<AxisSource>& axes, const Rules& rules,
                                   const CellSpace& space,
                                   std::vector<std::vector<std::size_t>> listed) {
    std::vector<CellPlan> plans;
    for (std::vector<std::size_t>& values : listed)
        plans.push_back(CellPlan{std::move(values), {}, {}, {}});
    std::map<std::vector<std::size_t>, std::size_t> index;
    for (std::size_t i = 0; i < plans.size(); ++i)
        index.emplace(plans[i].values, i);
    for (const IncludeRule& include : rules.includes) {
        if (!space.selects(include.values, cell_id(axes, include.values)))
            continue;
        auto [at, added] = index.emplace(include.values, plans.size());
        if (added)
            plans.push_back(CellPlan{include.values, {}, {}, {}});
        CellPlan& plan = plans[at->second];
        if (include.target)
            plan.targets.push_back(*include.target);
        if (include.load)
            plan.loads.push_back(*include.load);
        if (include.thresholds)
            plan.thresholds.push_back(*include.thresholds);
    }
    std::stable_sort(plans.begin(), plans.end(),
                     [](const CellPlan& a, const CellPlan& b) { return a.values < b.values; });
    return plans;
}

// The walk gave up: --only's id globs had too many ids to match one by one (or, without --only,
// the exclude rules split the product into too many distinct parts).
void report_uncountable(const ExpansionInput& input, ProblemList& problems) {
    if (input.only.empty()) {
        problems.add(
            input.axes_where,
            fmt::format("the exclude rules split the matrix into too many parts to count "
                        "its cells (more than {})",
                        CellSpace::k_walk_budget),
            fmt::format("benchctl runs at most {} cells; use fewer axes or values", k_max_cells));
        return;
    }
    problems.add(only_location(input.only[0]),
                 fmt::format("the cell ids to match against --only's globs are too many to look "
                             "at (more than {})",
                             CellSpace::k_walk_budget),
                 "narrow the matrix with axis conditions first, e.g. --only "
                 "'server=nginx,*.small'");
}

// Every --only term that selects none of `plans`, saying whether the exclude rules dropped the
// cells it names.
void report_unmatched_filters(const std::vector<AxisSource>& axes, const Rules& rules,
                              const ExpansionInput& input, const std::vector<CellPlan>& plans,
                              const std::string& example_id, ProblemList& problems) {
    CellSpace space = product_space(axes, rules, *rules.filters);
    std::vector<bool> matched(input.only.size(), false);
    for (const CellPlan& plan : plans) {
        for (std::size_t s : space.matching_selectors(plan.values, cell_id(axes, plan.values)))
            matched[s] = true;
    }
    for (std::size_t s = 0; s < input.only.size(); ++s) {
        if (matched[s])
            continue;
        Rules unexcluded{rules.product_sizes, {}, {}, std::nullopt};
        bool excluded = product_space(axes, unexcluded, {(*rules.filters)[s]}).count(0) > 0;
        problems.add(only_location(input.only[s]), "no cell matches it",
                     excluded ? "the exclude rules drop every cell it names"
                              : empty_filter_hint(input.only[s], axes, example_id));
    }
}

void report_no_cell(const std::vector<AxisSource>& axes, const Rules& rules,
                    const ExpansionInput& input, ProblemList& problems) {
    for (const AxisSource& axis : axes) {
        if (axis.values.empty())
            return;  // reported as an axis with no values
    }
    if (!input.only.empty()) {
        CellSpace unfiltered = product_space(axes, rules, {});
        if (unfiltered.count(0) > 0 || added_by_includes(axes, rules, unfiltered) > 0) {
            std::string example = cell_id(axes, std::vector<std::size_t>(axes.size(), 0));
            report_unmatched_filters(axes, rules, input, {}, example, problems);
            return;
        }
    }
    problems.add(input.axes_where, "the matrix expands to no cell",
                 rules.excludes.empty() ? "give every axis at least one value"
                                        : "the exclude rules remove every combination; check them");
}

}  // namespace

std::vector<CellPlan> expand_axes(std::vector<AxisSource>& axes, const ExpansionInput& input,
                                  ProblemList& problems) {
    Rules rules;
    for (const AxisSource& axis : axes)
        rules.product_sizes.push_back(axis.values.size());
    for (const DocNode* rule : rule_maps(input.exclude, "exclude", problems)) {
        if (auto selection = exclude_selection(axes, *rule, problems))
            rules.excludes.push_back(std::move(*selection));
    }
    for (const DocNode* rule : rule_maps(input.include, "include", problems)) {
        if (auto include = read_include(axes, *rule, problems))
            rules.includes.push_back(std::move(*include));
    }
    rules.filters = read_cell_filters(input.only, axes, problems);
    if (!rules.filters)
        return {};
    std::vector<CellPlan> plans;
    try {
        CellSpace space = product_space(axes, rules, *rules.filters);
        std::vector<std::vector<std::size_t>> listed = space.cells(k_max_cells);
        std::size_t count = listed.size();
        if (count <= k_max_cells)
            count += added_by_includes(axes, rules, space);
        if (count > k_max_cells) {
            report_too_many(axes, rules, input, space, problems);
            return {};
        }
        plans = listed_plans(axes, rules, space, std::move(listed));
        if (plans.empty()) {
            report_no_cell(axes, rules, input, problems);
        } else if (!input.only.empty()) {
            report_unmatched_filters(axes, rules, input, plans, cell_id(axes, plans[0].values),
                                     problems);
        }
    } catch (const CellSpace::TooLarge&) {
        report_uncountable(input, problems);
        return {};
    }
    return plans;
}

}  // namespace benchctl
