#include "report/model/cell_grouping.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/error.hpp"

namespace benchctl {

namespace {

constexpr int k_first_level = 2;
constexpr std::size_t k_max_separate_levels = 3;  // ##, ###, then #### joins the rest

std::string known_axes(const std::vector<Axis>& axes) {
    std::vector<std::string> names;
    for (const Axis& axis : axes)
        names.push_back(axis.name);
    return names.empty() ? "the run has no axes" : fmt::format("axes: {}", fmt::join(names, ", "));
}

const AxisValue* find_value(const CellReport& cell, const std::string& axis) {
    for (const AxisValue& value : cell.parameters) {
        if (value.axis == axis)
            return &value;
    }
    return nullptr;
}

// The position of each cell's value on each axis, in matrix order; unknown values go last.
std::size_t value_rank(const CellReport& cell, const Axis& axis) {
    const AxisValue* value = find_value(cell, axis.name);
    if (value == nullptr)
        return axis.values.size() + 1;
    for (std::size_t i = 0; i < axis.values.size(); ++i) {
        if (axis.values[i].name == value->name)
            return i;
    }
    return axis.values.size();
}

std::vector<std::size_t> sort_key(const CellReport& cell, const std::vector<const Axis*>& axes) {
    std::vector<std::size_t> key;
    for (const Axis* axis : axes)
        key.push_back(value_rank(cell, *axis));
    key.push_back(cell.repetition);
    return key;
}

// The headings leading to a cell: one per axis, the deeper ones joined into the last.
std::vector<std::string> heading_path(const CellReport& cell,
                                      const std::vector<std::string>& order) {
    if (order.empty())
        return {cell.cell_id};
    std::vector<std::string> path;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const std::string label = axis_label(cell, order[i]);
        if (i < k_max_separate_levels) {
            path.push_back(label);
        } else {
            path.back() += " / " + label;
        }
    }
    return path;
}

}  // namespace

std::string axis_label(const CellReport& cell, const std::string& axis) {
    const AxisValue* value = find_value(cell, axis);
    if (value == nullptr)
        return "";
    return value->label.empty() ? value->name : value->label;
}

std::vector<std::string> grouping_order(const std::vector<Axis>& axes,
                                        const std::vector<std::string>& group_by) {
    std::vector<std::string> order;
    for (const std::string& name : group_by) {
        const bool known = std::any_of(axes.begin(), axes.end(),
                                       [&](const Axis& axis) { return axis.name == name; });
        if (!known) {
            throw UserError(fmt::format("unknown axis '{}'", name), "--group-by",
                            fmt::format("use the run's axis names ({})", known_axes(axes)));
        }
        if (std::find(order.begin(), order.end(), name) != order.end()) {
            throw UserError(fmt::format("axis '{}' is named twice", name), "--group-by",
                            "name each axis once");
        }
        order.push_back(name);
    }
    for (const Axis& axis : axes) {
        if (std::find(order.begin(), order.end(), axis.name) == order.end())
            order.push_back(axis.name);
    }
    return order;
}

std::vector<const CellReport*> ordered_cells(const RunReport& run,
                                             const std::vector<std::string>& order) {
    std::vector<const Axis*> axes;
    for (const std::string& name : order) {
        for (const Axis& axis : run.manifest.axes) {
            if (axis.name == name)
                axes.push_back(&axis);
        }
    }
    std::vector<std::pair<std::vector<std::size_t>, const CellReport*>> keyed;
    for (const CellReport& cell : run.cells)
        keyed.emplace_back(sort_key(cell, axes), &cell);
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<const CellReport*> cells;
    for (const auto& [key, cell] : keyed)
        cells.push_back(cell);
    return cells;
}

std::vector<ReportSection> group_cells(const RunReport& run,
                                       const std::vector<std::string>& order) {
    std::vector<ReportSection> sections;
    std::vector<std::string> previous;
    for (const CellReport* cell : ordered_cells(run, order)) {
        const std::vector<std::string> path = heading_path(*cell, order);
        std::size_t same = 0;
        while (same < path.size() && same < previous.size() && path[same] == previous[same])
            ++same;
        if (same == path.size() && !sections.empty()) {
            sections.back().cells.push_back(cell);  // another repetition of the same leaf
            continue;
        }
        for (std::size_t level = same; level < path.size(); ++level)
            sections.push_back({k_first_level + static_cast<int>(level), path[level], {}});
        sections.back().cells.push_back(cell);
        previous = path;
    }
    return sections;
}

}  // namespace benchctl
