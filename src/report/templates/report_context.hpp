#pragma once

#include <functional>
#include <mstch/mstch.hpp>
#include <string>
#include <vector>

#include "report/model/run_report.hpp"
#include "report/model/summary_table.hpp"

namespace benchctl {

// Escapes one line of text for a template's syntax (Markdown table cells, ...). Identity for HTML,
// where mustache's own {{ }} escaping applies.
using InlineEscape = std::function<std::string(const std::string&)>;

// The parts of a report every human-readable format shares, as a mustache context. Every string
// has passed `escape`; a value missing from the files leaves its key out, so {{#key}} sections
// skip it. Keys:
//   title, run_id, run_status, cells_line ("8 cells: 6 done, 1 failed, 1 pending")
//   summary_columns [{header, numeric, rule}]   rule: Markdown's "---" or "---:"
//   summary_rows    [{cell, cells: [{text, numeric}]}]
//   has_warnings, warnings [{cell, code, severity, message}]   every row's warnings, in row order
//   has_repetitions, repetition_rows [{cell, metric, count, median, min, max, ci, cv}]
//       one row per repeated cell and figure of k_repetition_metrics (one row per cell tables)
//   has_thresholds, thresholds_line ("5 of 6 threshold checks passed"),
//       failed_thresholds [{cell, repetition, metric, expression, value}]
//   has_failures, failures [{cell, repetition, status, reason, log_file, log_tail, fence}]
//       (log_tail and fence unescaped: they go into code blocks)
//   environment [{name, value}], tool_versions [{version, cells}]
mstch::map build_report_context(const RunReport& run, const SummaryTable& table,
                                const InlineEscape& escape);

// The table of a cell's named requests (a mix's entries or a sequence's steps), each string
// passed through `escape`: {columns: [{header, numeric, rule}], rows: [{cells: [{text,
// numeric}]}]} with one row per request: name, started, completed, failed, failures by class,
// p50, p75, p90, p99 and statuses. An empty map for a cell without named requests.
mstch::map request_table_context(const CellReport& cell, const InlineEscape& escape);

// A code fence for `text`: three backticks, or one more than its longest run of backticks, so
// no content can close the block early.
std::string code_fence_for(const std::string& text);

// Markdown inline text: backslash, '|', '`' and '<' escaped, line breaks as spaces. Safe in a
// table cell and a heading.
std::string escape_markdown_inline(const std::string& text);

}  // namespace benchctl
