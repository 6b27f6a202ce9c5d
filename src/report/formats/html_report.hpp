#pragma once

#include <string>

#include "report/model/run_report.hpp"
#include "report/report_options.hpp"
#include "report/templates/template_set.hpp"

namespace benchctl {

// The HTML report of a run, rendered from template "html" with mustache's HTML escaping: one
// self-contained page (CSS and a small table-sorting script inline, charts as inline SVG, no
// URL to fetch) holding the title, the summary table (rows in options.group_by order; every
// figure cell carries its raw number as data-sort), a grouped bar chart of requests/sec, latency
// percentile curves and per-second timelines per value of the first axis, the failed cells with
// reasons and log tails, and the environment from the manifest. Every string from the run's
// files is escaped, in the page and in the SVG. Throws UserError for an unknown --group-by axis
// or a missing template.
std::string render_html_report(const RunReport& run, const ReportOptions& options,
                               const TemplateSet& templates);

}  // namespace benchctl
