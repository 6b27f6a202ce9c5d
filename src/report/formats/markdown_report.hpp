#pragma once

#include <string>

#include "report/model/run_report.hpp"
#include "report/report_options.hpp"
#include "report/templates/template_set.hpp"

namespace benchctl {

// The Markdown report of a run, rendered from template "markdown": the title, the summary table
// (one row per cell and repetition), the hierarchy of source document 000 (first axis "##", then
// "###", deeper axes joined under "####", nesting chosen by options.group_by), each leaf holding
// its cell's wrk text block (or, with ReportStyle::siege, siege's summary), then the failed cells
// with reasons and log tails, then the environment from the manifest.
// Throws UserError for an unknown --group-by axis or a missing template.
std::string render_markdown_report(const RunReport& run, const ReportOptions& options,
                                   const TemplateSet& templates);

}  // namespace benchctl
