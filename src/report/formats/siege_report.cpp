#include "report/formats/siege_report.hpp"

#include <fmt/format.h>

#include "report/model/cell_grouping.hpp"
#include "report/model/report_view.hpp"
#include "report/templates/report_context.hpp"
#include "report/text/siege_transcript.hpp"

namespace benchctl {

namespace {

// Error lines per cell before "... N more": enough to show the kinds, short enough to read.
constexpr std::size_t k_error_lines = 10;

// Plain text keeps everything but line breaks, which would break an item's line.
std::string one_line(const std::string& text) {
    std::string out = text;
    for (char& c : out) {
        if (c == '\n' || c == '\r')
            c = ' ';
    }
    return out;
}

// reST's literal block: every line indented four spaces, blank lines left blank.
std::string indented(const std::string& text) {
    std::string out;
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t end = text.find('\n', begin);
        const std::string line = text.substr(begin, end - begin);
        out += (line.empty() ? "" : "    ") + line + "\n";
        if (end == std::string::npos)
            break;
        begin = end + 1;
    }
    return out;
}

std::string item_heading(const CellReport& cell, unsigned repeat) {
    std::vector<std::string> labels;
    for (const AxisValue& value : cell.parameters)
        labels.push_back(value.label.empty() ? value.name : value.label);
    std::string heading = labels.empty()
                              ? fmt::format("``{}``", cell.cell_id)
                              : fmt::format("{} (``{}``)", fmt::join(labels, ", "), cell.cell_id);
    if (repeat > 1)
        heading += fmt::format(", repetition {} of {}", cell.repetition, repeat);
    return one_line(heading);
}

std::string item_note(const CellReport& cell) {
    if (cell.status == EntryStatus::pending)
        return "Not run: the run stopped before this cell.";
    std::string note =
        fmt::format("No measurement: the cell {} before its load", entry_status_name(cell.status));
    if (!cell.failure_reason.empty())
        note += fmt::format(" ({})", cell.failure_reason);
    return one_line(note + ".");
}

mstch::array items_context(const RunReport& run, const std::vector<std::string>& order) {
    mstch::array items;
    int number = 0;
    for (const CellReport* cell : ordered_cells(run, order)) {
        mstch::map item{{"number", ++number}, {"heading", item_heading(*cell, run.repeat)}};
        if (cell->load)
            item["block"] = indented(render_siege_transcript(*cell->load, k_error_lines));
        else
            item["note"] = item_note(*cell);
        items.push_back(item);
    }
    return items;
}

}  // namespace

std::string render_siege_report(const RunReport& run, const ReportOptions& options,
                                const TemplateSet& templates) {
    const ReportView view = build_report_view(run, options);
    mstch::map context = build_report_context(run, view.table, one_line);
    const std::string title = one_line(run.title());
    context["title"] = title;
    context["title_rule"] = std::string(title.size(), '=');
    context["benchctl_version"] = run.manifest.benchctl_version;
    context["siege_version"] = std::string(k_siege_layout_version);
    context["items"] = items_context(run, view.order);
    return render_template(templates, "siege", context, TemplateEscape::none);
}

}  // namespace benchctl
