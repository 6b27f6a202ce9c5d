#include "report/formats/markdown_report.hpp"

#include <fmt/format.h>

#include "report/model/cell_grouping.hpp"
#include "report/model/report_view.hpp"
#include "report/templates/report_context.hpp"
#include "report/text/siege_summary.hpp"
#include "report/text/wrk_text.hpp"

namespace benchctl {

namespace {

// What stands in a leaf for a cell that has no load document.
std::string missing_load_note(const CellReport& cell) {
    if (cell.status == EntryStatus::pending)
        return "Not run: the run stopped before this cell.";
    std::string note =
        fmt::format("No measurement: the cell {} before its load", entry_status_name(cell.status));
    if (!cell.failure_reason.empty())
        note += fmt::format(" ({})", cell.failure_reason);
    return note + ".";
}

std::string leaf_block(const CellReport& cell, ReportStyle style) {
    const LoadDocument& load = *cell.load;
    if (style == ReportStyle::siege)
        return render_siege_summary(compute_siege_summary(load));
    return render_wrk_text(load);
}

mstch::map leaf_entry(const CellReport& cell, unsigned repeat, ReportStyle style) {
    mstch::map entry;
    std::vector<std::string> notes;
    if (repeat > 1)
        notes.push_back(fmt::format("Repetition {} of {}.", cell.repetition, repeat));
    if (cell.load && cell.load->summary.source)
        notes.push_back(source_note(*cell.load->summary.source));
    if (cell.load) {
        if (cell.status != EntryStatus::done) {
            notes.push_back(
                fmt::format("{}{}.", cell.status == EntryStatus::failed ? "Failed" : "Interrupted",
                            cell.failure_reason.empty() ? "" : ": " + cell.failure_reason));
        }
        const std::string block = leaf_block(cell, style);
        entry["block"] = block;
        entry["fence"] = code_fence_for(block);
        mstch::map requests = request_table_context(cell, escape_markdown_inline);
        if (!requests.empty())
            entry["requests"] = requests;
    } else {
        notes.push_back(missing_load_note(cell));
    }
    if (!notes.empty())
        entry["note"] = escape_markdown_inline(fmt::format("{}", fmt::join(notes, " ")));
    return entry;
}

mstch::array sections_context(const RunReport& run, const std::vector<std::string>& order,
                              ReportStyle style) {
    mstch::array sections;
    for (const ReportSection& section : group_cells(run, order)) {
        mstch::array entries;
        for (const CellReport* cell : section.cells)
            entries.push_back(leaf_entry(*cell, run.repeat, style));
        sections.push_back(mstch::map{{"hashes", std::string(section.level, '#')},
                                      {"heading", escape_markdown_inline(section.heading)},
                                      {"entries", entries}});
    }
    return sections;
}

}  // namespace

std::string render_markdown_report(const RunReport& run, const ReportOptions& options,
                                   const TemplateSet& templates) {
    const ReportView view = build_report_view(run, options);
    mstch::map context = build_report_context(run, view.table, escape_markdown_inline);
    context["sections"] = sections_context(run, view.order, options.style);
    context["siege_style"] = options.style == ReportStyle::siege;
    return render_template(templates, "markdown", context, TemplateEscape::none);
}

}  // namespace benchctl
