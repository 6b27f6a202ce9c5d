#pragma once

#include "import/imported_cell.hpp"
#include "import/source_text.hpp"

namespace benchctl {

// Reads gunicorn's benchmark results JSON (source document 001: {"timestamp", "results": [{
// "scenario", "config", "total_requests", "successful", "failed", "errors", "duration_sec",
// "requests_per_sec", "latency_ms": {min, max, mean, stddev, p50, p95, p99}}]}) into one cell
// per scenario, labelled by its scenario name, on one axis named "scenario". Text before the
// JSON object (a commit header, a file name) is skipped. "config" and "errors" are kept verbatim
// for `benchctl report --format json --style gunicorn-bench`; failed requests count as read
// errors (the JSON does not say why). Throws UserError naming file:line when there is no JSON
// object, it is not valid JSON, or a field is missing or mistyped (naming the field).
ImportedDocument parse_gunicorn_bench_file(const SourceText& source);

// The 0-based index of the line where the JSON object begins (the first line starting with
// "{"), or nullopt when there is none.
std::optional<std::size_t> json_start_line(const SourceText& source);

}  // namespace benchctl
