#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "load/load_result.hpp"
#include "report/model/run_report.hpp"
#include "report/report_options.hpp"

namespace benchctl {

// The shape of source document 001 (gunicorn's benchmarks/results/*.json), key for key and type
// for type (docs/reports.md, "JSON: --style gunicorn-bench"):
//   {"timestamp": the run's start as "YYYY-MM-DDTHH:MM:SS",
//    "results": [{scenario (the cell's value of options.scenario_axis, default the last axis),
//                 config (the cell's axis value fields, typed, then concurrency),
//                 total_requests, successful, failed, errors (up to 10 messages, one per failed
//                 request), duration_sec (2 decimals), requests_per_sec (successful / duration,
//                 1 decimal), latency_ms {min, max, mean, stddev, p50, p95, p99}}]}
// Cells follow options.group_by. A cell without a load document has null figures and its
// failure as its one error. Throws UserError naming --scenario-axis for an axis the run lacks.
nlohmann::ordered_json gunicorn_bench_json(const RunReport& run, const ReportOptions& options);

// gunicorn_bench_json pretty-printed (2 spaces, as the source) with a final newline.
std::string render_gunicorn_bench_report(const RunReport& run, const ReportOptions& options);

// A field's text as the JSON value it spells: a JSON number, list, true, false or null is that
// value ("4" -> 4, "[50, 50]" -> [50, 50]); any other text is a string ("sleep_task").
nlohmann::ordered_json typed_field(const std::string& text);

// An ISO 8601 time ("2026-11-23T11:03:00.512Z", "2026-01-24T10:56:33") cut to the source's
// "2026-11-23T11:03:00": the wall time as written, without fraction or zone. Text that does not
// start with such a time is returned unchanged.
std::string gunicorn_timestamp(const std::string& iso_time);

// One message per unsuccessful request, at most `limit`, as the source lists the first ten
// exceptions of a run: socket failures by kind ("Connection error: connect failed",
// "read error: connection closed before the response", "write error", "timed out",
// "invalid HTTP response"), then responses outside 2xx/3xx ("HTTP 503"), kinds in that order.
std::vector<std::string> gunicorn_error_messages(const LoadResult& result, std::size_t limit);

}  // namespace benchctl
