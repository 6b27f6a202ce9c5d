#include "report/formats/wrk_commands_report.hpp"

#include <fmt/format.h>

#include "report/model/cell_grouping.hpp"
#include "report/model/report_view.hpp"
#include "report/templates/report_context.hpp"
#include "report/text/wrk_command_line.hpp"
#include "report/text/wrk_text.hpp"

namespace benchctl {

namespace {

// wrk's own lines end with "Transfer/sec:"; what follows is benchctl's accounting.
std::pair<std::string, std::string> split_after_wrk(const std::string& text) {
    const std::size_t transfer = text.find("\nTransfer/sec:");
    if (transfer == std::string::npos)
        return {text, ""};
    const std::size_t end = text.find('\n', transfer + 1);
    if (end == std::string::npos)
        return {text, ""};
    return {text.substr(0, end + 1), text.substr(end + 1)};
}

std::string cell_line(const CellReport& cell, unsigned repeat) {
    std::vector<std::string> labels;
    bool labelled = false;  // some label says more than its value's name
    for (const AxisValue& value : cell.parameters) {
        labels.push_back(value.label.empty() ? value.name : value.label);
        labelled = labelled || labels.back() != value.name;
    }
    std::string line = fmt::format("Cell {}", cell.cell_id);
    if (labelled)
        line += fmt::format(" ({})", fmt::join(labels, ", "));
    if (repeat > 1)
        line += fmt::format(", repetition {} of {}", cell.repetition, repeat);
    if (cell.status != EntryStatus::done) {
        line += fmt::format(": {}", entry_status_name(cell.status));
        if (!cell.failure_reason.empty())
            line += " (" + cell.failure_reason + ")";
    }
    if (cell.load && cell.load->summary.source)
        line += ". " + source_note(*cell.load->summary.source);
    if (!cell.load)
        line += ". No measurement: the cell has no load document";
    return escape_markdown_inline(line.back() == '.' ? line : line + ".");
}

mstch::map section_context(const CellReport& cell, unsigned repeat) {
    mstch::map section{{"note", cell_line(cell, repeat)}};
    if (!cell.load) {
        section["heading"] = escape_markdown_inline(cell.cell_id);
        return section;
    }
    section["heading"] = escape_markdown_inline(wrk_command_line(cell.load->settings));
    const auto [wrk, extra] = split_after_wrk(render_wrk_text(*cell.load));
    section["block"] = wrk;
    section["fence"] = code_fence_for(wrk);
    if (!extra.empty()) {
        section["extra"] = extra;
        section["extra_fence"] = code_fence_for(extra);
    }
    return section;
}

}  // namespace

std::string render_wrk_commands_report(const RunReport& run, const ReportOptions& options,
                                       const TemplateSet& templates) {
    const ReportView view = build_report_view(run, options);
    mstch::map context = build_report_context(run, view.table, escape_markdown_inline);
    context["benchctl_version"] = run.manifest.benchctl_version;
    mstch::array sections;
    for (const CellReport* cell : ordered_cells(run, view.order))
        sections.push_back(section_context(*cell, run.repeat));
    context["sections"] = sections;
    return render_template(templates, "wrk_commands", context, TemplateEscape::none);
}

}  // namespace benchctl
