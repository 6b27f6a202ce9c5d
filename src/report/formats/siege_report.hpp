#pragma once

#include <string>

#include "report/model/run_report.hpp"
#include "report/report_options.hpp"
#include "report/templates/template_set.hpp"

namespace benchctl {

// The siege style (--style siege): source document 002's text layout, rendered from the
// "siege" template (report_templates/siege.mustache). The title underlined with '=', the run
// line, "Benchmark results:", then one numbered item per cell and repetition in options.group_by
// order, headed by its value labels and id ("1. Synchronous HTTP server (``sync``)::"), holding
// siege's console transcript indented four spaces (render_siege_transcript: the command line,
// banner, error lines, summary); a cell without a load document holds a note instead. Then the
// warnings, failed cells and environment. Context keys: docs/reports.md, "--style siege".
std::string render_siege_report(const RunReport& run, const ReportOptions& options,
                                const TemplateSet& templates);

}  // namespace benchctl
