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

// The shape of source document 001 (gunicorn's benchmark results): {"timestamp": the run's
// start, "results": [{scenario (the cell id, ".rep<k>" added for repetitions), config (the
// cell's axis values by axis name, then threads, connections, concurrency, stop rule settings),
// total_requests, successful, failed, errors, duration_sec, requests_per_sec, latency_ms {min,
// max, mean, stddev, p50, p95, p99}}]}. See docs/reports.md for how each figure is counted; a
// cell without a load document has null figures and its failure in `errors`. Keys keep
// source 001's order.
nlohmann::ordered_json gunicorn_bench_json(const RunReport& run, const ReportOptions& options);

// The JSON report options ask for, pretty-printed with a final newline.
std::string render_json_report(const RunReport& run, const ReportOptions& options);

}  // namespace benchctl
