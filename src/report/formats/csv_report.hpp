#pragma once

#include <string>
#include <vector>

#include "report/model/run_report.hpp"
#include "report/report_options.hpp"

namespace benchctl {

// The CSV report: a header row, then one row per cell and repetition, for spreadsheets and
// pandas. RFC 4180: CRLF line ends, a field holding a comma, quote, CR or LF is quoted with its
// quotes doubled. Columns: run_id, cell, repetition, status, request, one per axis (the value's
// name), then the load settings and raw figures (durations in seconds, latency in ms, bytes,
// counts), relative_speed and failure_reason. A figure the files do not hold is an empty field.
// A cell row's request is empty; a cell of a mix or a sequence is followed by one row per named
// request (request = its name) with the figures kept per request.
// Rows follow options.group_by like the Markdown report. Throws UserError for an unknown axis.
std::string render_csv_report(const RunReport& run, const ReportOptions& options);

// One RFC 4180 field: as is, or quoted with quotes doubled when it holds , " CR or LF.
std::string csv_field(const std::string& text);

}  // namespace benchctl
