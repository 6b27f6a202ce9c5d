#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "report/model/run_report.hpp"
#include "report/report_options.hpp"

namespace benchctl {

inline constexpr const char* k_report_schema = "benchctl.report/1";

// benchctl's own JSON report ("benchctl.report/1", docs/reports.md): {"schema", "run": the
// manifest's facts (id, title, status, matrix, axes, host, benchctl, tool_versions, times,
// repeat), "rows": one per cell and repetition in options.group_by order with its parameters,
// status, failure, figures (null when the files hold none), by_request (a mix's or sequence's
// named requests, each {name, figures}: the figures kept per request and its status_codes; null
// for a single request) and relative_speed}.
nlohmann::json report_json(const RunReport& run, const ReportOptions& options);

// The JSON report options ask for, pretty-printed with a final newline: benchctl.report/1, or
// with --style gunicorn-bench source 001's shape (gunicorn_bench_report.hpp).
std::string render_json_report(const RunReport& run, const ReportOptions& options);

}  // namespace benchctl
