#include "report/templates/report_context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/model/repeated_cell.hpp"
#include "util/number_format.hpp"

namespace benchctl {

namespace {

std::string cells_line(const RunReport& run) {
    std::map<EntryStatus, std::size_t> by_status;
    for (const CellReport& cell : run.cells)
        ++by_status[cell.status];
    std::vector<std::string> parts;
    for (const EntryStatus status :
         {EntryStatus::done, EntryStatus::failed, EntryStatus::interrupted, EntryStatus::pending}) {
        if (auto it = by_status.find(status); it != by_status.end())
            parts.push_back(fmt::format("{} {}", it->second, entry_status_name(status)));
    }
    const std::size_t total = run.cells.size();
    return fmt::format("{} cell{}: {}", total, total == 1 ? "" : "s", fmt::join(parts, ", "));
}

mstch::array summary_columns(const SummaryTable& table, const InlineEscape& escape) {
    mstch::array columns;
    for (const SummaryColumn& column : table.columns) {
        columns.push_back(mstch::map{{"header", escape(column.header)},
                                     {"numeric", column.numeric},
                                     {"rule", std::string(column.numeric ? "---:" : "---")}});
    }
    return columns;
}

mstch::array summary_rows(const SummaryTable& table, const InlineEscape& escape) {
    mstch::array rows;
    for (const SummaryRow& row : table.rows) {
        mstch::array cells;
        for (std::size_t i = 0; i < row.texts.size(); ++i) {
            cells.push_back(
                mstch::map{{"text", escape(row.texts[i])}, {"numeric", table.columns[i].numeric}});
        }
        rows.push_back(mstch::map{{"cell", escape(row.cell->cell_id)}, {"cells", cells}});
    }
    return rows;
}

mstch::map repetition_row(const RepeatedCell& cell, Metric metric, const InlineEscape& escape) {
    const RepetitionSummary& s = *cell.statistics_of(metric);
    const MetricDescriptor& descriptor = describe(metric);
    return mstch::map{{"cell", escape(cell.cell_id)},
                      {"metric", escape(descriptor.label)},
                      {"count", std::to_string(s.count)},
                      {"median", escape(descriptor.format(s.median))},
                      {"min", escape(descriptor.format(s.min))},
                      {"max", escape(descriptor.format(s.max))},
                      {"ci", escape(format_interval(metric, s.median_ci))},
                      {"cv", escape(s.cv ? format_cv(*s.cv) : k_not_measured)}};
}

// The statistics of each repeated cell's figures, for the "Repetitions" section.
mstch::array repetition_rows(const SummaryTable& table, const InlineEscape& escape) {
    mstch::array rows;
    for (const SummaryRow& row : table.rows) {
        if (row.repeated == nullptr)
            continue;
        for (const Metric metric : k_repetition_metrics) {
            if (row.repeated->statistics_of(metric))
                rows.push_back(repetition_row(*row.repeated, metric, escape));
        }
    }
    return rows;
}

// "p99" measured 312.4 -> "312.40 ms", with the metric's own format; "not measured" without one.
std::string threshold_value(const ThresholdResult& result) {
    if (!result.value)
        return "not measured";
    const std::optional<Metric> metric = find_metric(result.metric);
    return metric ? describe(*metric).format(*result.value) : fmt::format("{}", *result.value);
}

// Every threshold check of the run, and the failed ones listed.
void add_thresholds(mstch::map& context, const RunReport& run, const SummaryTable& table,
                    const InlineEscape& escape) {
    std::size_t checks = 0;
    std::size_t passed = 0;
    mstch::array failed;
    for (const SummaryRow& row : table.rows) {
        for (const RowThreshold& verdict : row_thresholds(row)) {
            ++checks;
            if (verdict.result->passed) {
                ++passed;
                continue;
            }
            mstch::map entry{{"cell", escape(row.cell->cell_id)},
                             {"metric", escape(verdict.result->metric)},
                             {"expression", escape(verdict.result->expression)},
                             {"value", escape(threshold_value(*verdict.result))}};
            if (run.repeat > 1)
                entry["repetition"] = std::to_string(verdict.repetition);
            failed.push_back(entry);
        }
    }
    context["has_thresholds"] = checks > 0;
    context["thresholds_line"] =
        fmt::format("{} of {} threshold check{} passed", passed, checks, checks == 1 ? "" : "s");
    context["failed_thresholds"] = failed;
}

mstch::map failure_entry(const CellReport& cell, unsigned repeat, const InlineEscape& escape) {
    mstch::map entry{{"cell", escape(cell.cell_id)},
                     {"status", escape(entry_status_name(cell.status))}};
    if (repeat > 1)
        entry["repetition"] = std::to_string(cell.repetition);
    if (!cell.failure_reason.empty())
        entry["reason"] = escape(cell.failure_reason);
    if (cell.record && !cell.record->log_file.empty())
        entry["log_file"] = escape(cell.record->log_file);
    if (cell.record && !cell.record->log_tail.empty()) {
        std::string tail = cell.record->log_tail;
        if (tail.back() != '\n')
            tail += '\n';
        entry["fence"] = code_fence_for(tail);
        entry["log_tail"] = tail;
    }
    return entry;
}

mstch::array failures(const RunReport& run, const SummaryTable& table, const InlineEscape& escape) {
    mstch::array entries;
    for (const SummaryRow& row : table.rows) {
        // A repeated cell's row stands for all its repetitions: each that failed is listed.
        const std::vector<const CellReport*> shown = row.repeated != nullptr
                                                         ? row.repeated->repetitions
                                                         : std::vector<const CellReport*>{row.cell};
        for (const CellReport* cell : shown) {
            if (cell->status == EntryStatus::failed || cell->status == EntryStatus::interrupted)
                entries.push_back(failure_entry(*cell, run.repeat, escape));
        }
    }
    return entries;
}

// Every warning of every row, in the table's order: the one list of reasons to doubt a figure
// (the runner's and the report's, e.g. "noisy"). A per-repetition row names its repetition; a
// repeated cell's row carries it in the message.
mstch::array warnings(const RunReport& run, const SummaryTable& table, const InlineEscape& escape) {
    mstch::array entries;
    for (const SummaryRow& row : table.rows) {
        for (const CellWarning& warning : row.warnings) {
            mstch::map entry{{"cell", escape(row.cell->cell_id)},
                             {"severity", std::string(warning_severity_name(warning.severity))},
                             {"code", escape(warning.code)},
                             {"message", escape(warning.message)}};
            if (run.repeat > 1 && row.repeated == nullptr)
                entry["repetition"] = std::to_string(row.cell->repetition);
            entries.push_back(entry);
        }
    }
    return entries;
}

mstch::array environment(const RunManifest& m, const InlineEscape& escape) {
    mstch::array items;
    const auto add = [&](const char* name, const std::string& value) {
        if (!value.empty())
            items.push_back(mstch::map{{"name", std::string(name)}, {"value", escape(value)}});
    };
    add("Run", m.run_id.empty() ? "" : fmt::format("{} ({})", m.run_id, run_status_name(m.status)));
    add("Failure", m.failure);
    add("Started", m.started_at);
    add("Ended", m.ended_at);
    add("Host", m.host.hostname);
    add("CPU", m.host.cpu_model);
    add("Cores", m.host.cores == 0 ? "" : std::to_string(m.host.cores));
    add("Memory", m.host.memory_bytes == 0 ? "" : format_bytes(m.host.memory_bytes));
    add("Kernel", m.host.kernel);
    const std::string revision =
        m.benchctl_revision.empty() ? "" : fmt::format(" ({})", m.benchctl_revision);
    add("benchctl", m.benchctl_version.empty() ? "" : m.benchctl_version + revision);
    add("Matrix", m.matrix_path);
    add("Matrix sha256", m.matrix_sha256);
    add("Overrides", fmt::format("{}", fmt::join(m.overrides, ", ")));
    return items;
}

// Tool versions are kept per cell; cells sharing a version are listed together.
mstch::array tool_versions(const RunManifest& m, const InlineEscape& escape) {
    std::vector<std::pair<std::string, std::vector<std::string>>> versions;
    for (const auto& [cell, version] : m.tool_versions) {
        if (version.empty())
            continue;
        auto it = std::find_if(versions.begin(), versions.end(),
                               [&](const auto& entry) { return entry.first == version; });
        if (it == versions.end()) {
            versions.push_back({version, {cell}});
        } else {
            it->second.push_back(cell);
        }
    }
    mstch::array items;
    for (const auto& [version, cells] : versions) {
        std::string one_line = version;
        while (!one_line.empty() && one_line.back() == '\n')
            one_line.pop_back();
        items.push_back(mstch::map{{"version", escape(one_line)},
                                   {"cells", escape(fmt::format("{}", fmt::join(cells, ", ")))}});
    }
    return items;
}

// "check 3, read 1": a request's failures by class; "" without any.
std::string failure_classes(const CellMetrics& metrics) {
    std::string text;
    for (auto [name, metric] :
         {std::pair{"connect", Metric::errors_connect}, std::pair{"read", Metric::errors_read},
          std::pair{"write", Metric::errors_write}, std::pair{"timeout", Metric::errors_timeout},
          std::pair{"parse", Metric::errors_parse}, std::pair{"check", Metric::errors_check}}) {
        if (const std::uint64_t count = metrics.count(metric); count != 0)
            text += fmt::format("{}{} {}", text.empty() ? "" : ", ", name, count);
    }
    return text;
}

std::string statuses_text(const std::map<int, std::uint64_t>& codes) {
    std::string text;
    for (const auto& [status, count] : codes)
        text += fmt::format("{}{} x {}", text.empty() ? "" : ", ", status, format_count(count));
    return text;
}

std::string figure_text(const CellMetrics& metrics, Metric metric) {
    const std::optional<double> value = metrics.number(metric);
    return value ? describe(metric).format(*value) : "—";
}

}  // namespace

mstch::map request_table_context(const CellReport& cell, const InlineEscape& escape) {
    if (!cell.load || cell.load->result.by_name.empty())
        return {};
    constexpr std::pair<const char*, bool> k_columns[] = {
        {"request", false},  {"started", true},  {"completed", true}, {"failed", true},
        {"failures", false}, {"p50", true},      {"p75", true},       {"p90", true},
        {"p99", true},       {"statuses", false}};
    mstch::array columns;
    for (const auto& [header, numeric] : k_columns) {
        columns.push_back(mstch::map{{"header", std::string(header)},
                                     {"numeric", numeric},
                                     {"rule", std::string(numeric ? "---:" : "---")}});
    }
    mstch::array rows;
    for (const RequestMetrics& request : compute_request_metrics(*cell.load)) {
        const CellMetrics& m = request.metrics;
        const std::string texts[] = {request.name,
                                     format_count(m.count(Metric::requests_started)),
                                     format_count(m.count(Metric::requests_completed)),
                                     format_count(m.count(Metric::requests_failed)),
                                     failure_classes(m),
                                     figure_text(m, Metric::latency_p50_ms),
                                     figure_text(m, Metric::latency_p75_ms),
                                     figure_text(m, Metric::latency_p90_ms),
                                     figure_text(m, Metric::latency_p99_ms),
                                     statuses_text(request.status_codes)};
        mstch::array cells;
        for (std::size_t i = 0; i < std::size(texts); ++i)
            cells.push_back(
                mstch::map{{"text", escape(texts[i])}, {"numeric", k_columns[i].second}});
        rows.push_back(mstch::map{{"cells", cells}});
    }
    return mstch::map{{"columns", columns}, {"rows", rows}};
}

std::string code_fence_for(const std::string& text) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (const char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string escape_markdown_inline(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '|':
                out += "\\|";
                break;
            case '`':
                out += "\\`";
                break;
            case '<':
                out += "&lt;";
                break;
            case '\r':
                break;
            case '\n':
                out += ' ';
                break;
            default:
                out += c;
        }
    }
    return out;
}

mstch::map build_report_context(const RunReport& run, const SummaryTable& table,
                                const InlineEscape& escape) {
    const RunManifest& m = run.manifest;
    mstch::array failed = failures(run, table, escape);
    mstch::array doubts = warnings(run, table, escape);
    mstch::array repetitions = repetition_rows(table, escape);
    mstch::map context{
        {"title", escape(run.title())},
        {"run_id", escape(m.run_id)},
        {"run_status", escape(run_status_name(m.status))},
        {"cells_line", escape(cells_line(run))},
        {"summary_columns", summary_columns(table, escape)},
        {"summary_rows", summary_rows(table, escape)},
        {"has_repetitions", !repetitions.empty()},
        {"repetition_rows", repetitions},
        {"has_failures", !failed.empty()},
        {"failures", failed},
        {"has_warnings", !doubts.empty()},
        {"warnings", doubts},
        {"environment", environment(m, escape)},
    };
    add_thresholds(context, run, table, escape);
    mstch::array tools = tool_versions(m, escape);
    if (!tools.empty())
        context["tool_versions"] = tools;
    return context;
}

}  // namespace benchctl
