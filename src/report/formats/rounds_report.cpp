#include "report/formats/rounds_report.hpp"

#include <fmt/format.h>

#include "report/model/cell_grouping.hpp"
#include "report/model/report_view.hpp"
#include "report/templates/report_context.hpp"
#include "util/number_format.hpp"

namespace benchctl {

namespace {

std::string label_of(const AxisValue& value) {
    return value.label.empty() ? value.name : value.label;
}

// The cell as the source introduces it: the labels of every axis but the round's (escaped), and
// its id as code (ids are value names: nothing to escape).
std::string cell_description(const CellReport& cell, const std::string& round_axis,
                             unsigned repeat) {
    std::vector<std::string> labels;
    for (const AxisValue& value : cell.parameters) {
        if (value.axis != round_axis || cell.parameters.size() == 1)
            labels.push_back(label_of(value));
    }
    const std::string said =
        labels.empty() ? cell.cell_id : fmt::format("{}", fmt::join(labels, ", "));
    std::string text = fmt::format("{} (`{}`)", escape_markdown_inline(said), cell.cell_id);
    if (repeat > 1)
        text += fmt::format(", repetition {} of {}", cell.repetition, repeat);
    return text;
}

std::string missing_note(const CellReport& cell) {
    if (cell.status == EntryStatus::pending)
        return "Not run: the run stopped before this cell.";
    std::string note =
        fmt::format("No measurement: the cell {} before its load", entry_status_name(cell.status));
    if (!cell.failure_reason.empty())
        note += fmt::format(" ({})", cell.failure_reason);
    return note + ".";
}

// The figures of a measured cell: per-cell duration and request count, writes per second.
void add_figures(mstch::map& entry, const CellMetrics& m) {
    const std::uint64_t requests = m.count(Metric::requests_completed);
    const double duration = m.number(Metric::duration_sec).value_or(0);
    entry["requests"] = format_count(requests);
    entry["duration_sec"] = format_grouped(duration, 2);
    entry["writes_per_sec"] =
        format_grouped(duration > 0 ? static_cast<double>(requests) / duration : 0, 2);
    const std::uint64_t failed = m.count(Metric::requests_failed);
    const std::uint64_t non_2xx_3xx = m.count(Metric::non_2xx_3xx);
    if (failed != 0 || non_2xx_3xx != 0) {
        entry["not_written"] = fmt::format("{} failed requests, {} non-2xx/3xx responses",
                                           format_count(failed), format_count(non_2xx_3xx));
    }
}

mstch::map cell_entry(const CellReport& cell, const std::string& round_axis, unsigned repeat) {
    mstch::map entry{{"description", cell_description(cell, round_axis, repeat)}};
    if (cell.metrics)
        add_figures(entry, *cell.metrics);
    else
        entry["note"] = escape_markdown_inline(missing_note(cell));
    if (cell.status != EntryStatus::done && cell.metrics)
        entry["note"] = escape_markdown_inline(
            fmt::format("{}{}.", entry_status_name(cell.status),
                        cell.failure_reason.empty() ? "" : ": " + cell.failure_reason));
    if (cell.record && !cell.record->command.empty()) {
        const std::string command = fmt::format("{}", fmt::join(cell.record->command, " "));
        entry["command"] = command;
        entry["command_fence"] = code_fence_for(command);
    }
    return entry;
}

// The value of `axis` in `cell`, "" without it.
std::string value_name(const CellReport& cell, const std::string& axis) {
    for (const AxisValue& value : cell.parameters) {
        if (value.axis == axis)
            return value.name;
    }
    return {};
}

mstch::array rounds_context(const RunReport& run, const std::vector<std::string>& order) {
    const std::string round_axis = order.empty() ? std::string() : order.front();
    mstch::array rounds;
    mstch::array cells;
    std::string current;
    std::string label;
    const auto close_round = [&] {
        if (cells.empty())
            return;
        rounds.push_back(mstch::map{{"number", static_cast<int>(rounds.size()) + 1},
                                    {"label", escape_markdown_inline(label)},
                                    {"cells", cells}});
        cells.clear();
    };
    for (const CellReport* cell : ordered_cells(run, order)) {
        const std::string name = value_name(*cell, round_axis);
        if (cells.empty() || name != current) {
            close_round();
            current = name;
            label.clear();
            for (const AxisValue& value : cell->parameters)
                label = value.axis == round_axis ? label_of(value) : label;
        }
        cells.push_back(cell_entry(*cell, round_axis, run.repeat));
    }
    close_round();
    return rounds;
}

}  // namespace

std::string render_rounds_report(const RunReport& run, const ReportOptions& options,
                                 const TemplateSet& templates) {
    const ReportView view = build_report_view(run, options);
    mstch::map context = build_report_context(run, view.table, escape_markdown_inline);
    context["benchctl_version"] = run.manifest.benchctl_version;
    context["round_axis"] = view.order.empty() ? std::string("cell") : view.order.front();
    context["rounds"] = rounds_context(run, view.order);
    return render_template(templates, "rounds", context, TemplateEscape::none);
}

}  // namespace benchctl
