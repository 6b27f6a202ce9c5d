#pragma once

#include <string>

#include "report/model/run_report.hpp"
#include "report/report_options.hpp"

namespace benchctl {

// The report `options` ask for, as text: Markdown and HTML through the templates (built-in, or
// overridden by options.template_dir), CSV or JSON. One entry point for every format, so a new
// format is one more case here. Throws UserError for a bad --group-by axis or template dir.
std::string render_report(const RunReport& run, const ReportOptions& options);

}  // namespace benchctl
