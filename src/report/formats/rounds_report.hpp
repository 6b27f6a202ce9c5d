#pragma once

#include <string>

#include "report/model/run_report.hpp"
#include "report/report_options.hpp"
#include "report/templates/template_set.hpp"

namespace benchctl {

// The rounds style (--style rounds): source document 003's results in Markdown, rendered from the
// "rounds" template (report_templates/rounds.mustache). The outermost axis of options.group_by
// (the matrix's first axis by default) is the round: "##### Round 1: <value label>", one per
// value in order; in each, per cell and repetition, "> <the other axes' labels>", then "Time
// taken for <requests> write requests: **<duration> seconds**", "Write requests per second:
// <requests / duration>", what was not written (failed requests, non-2xx/3xx responses) and the
// target's command line as started. A cell without a load document holds a note. Then the
// warnings, failed cells and environment as in the Markdown report. Context keys:
// docs/reports.md, "--style rounds".
std::string render_rounds_report(const RunReport& run, const ReportOptions& options,
                                 const TemplateSet& templates);

}  // namespace benchctl
