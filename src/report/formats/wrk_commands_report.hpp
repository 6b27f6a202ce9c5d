#pragma once

#include <string>

#include "report/model/run_report.hpp"
#include "report/report_options.hpp"
#include "report/templates/template_set.hpp"

namespace benchctl {

// The wrk-commands style (--style wrk-commands): source document 004's Markdown, rendered from
// the "wrk_commands" template (report_templates/wrk_commands.mustache). The title and run line,
// then per cell and repetition, in options.group_by order, a `##` heading that is the command
// line asking for the cell's load (wrk_command_line), a line naming the cell, and a fenced block
// of wrk's own lines (render_wrk_text up to "Transfer/sec:", with the Latency Distribution when
// the cell asked for it, the Socket errors and Non-2xx lines as wrk prints them); benchctl's
// exact accounting follows in a second block. Then the warnings, failed cells and environment
// as in the Markdown report. Context keys: docs/reports.md, "--style wrk-commands".
std::string render_wrk_commands_report(const RunReport& run, const ReportOptions& options,
                                       const TemplateSet& templates);

}  // namespace benchctl
