#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"

namespace benchctl {

class JsonField;

// The versioned JSON document of one load run ("schema": "benchctl.load/1"), documented in
// docs/load-json.md. It holds the settings, the exact counts, summaries for people and scripts,
// and the serialized histograms, so every summary can be recomputed from it.
inline constexpr const char* k_load_schema = "benchctl.load/1";

nlohmann::json to_load_document(const LoadSettings& settings, const LoadResult& result);

// Where an imported document's figures come from (`benchctl import`): the source's format
// ("wrk-text", "siege", "gunicorn-bench"; see docs/import.md), its file as given, and the 1-based
// line its figures start at.
struct ImportedSource {
    std::string format;
    std::string file;
    std::uint64_t line = 0;
};

// Latency figures as the source printed them, in milliseconds (within_stddev_pct in percent);
// absent when the source did not print that figure (wrk has no min, siege no stddev ...).
struct RecordedLatency {
    std::optional<double> min, mean, stddev, max, p50, p75, p90, p95, p99, p999, within_stddev_pct;
};

// What a document written by `benchctl import` records instead of histograms: the summary
// figures exactly as the source tool printed them, in the document's units. Reports show these
// rather than recomputing them, so an imported run renders back to the numbers it came from.
struct RecordedSummary {
    ImportedSource source;
    double requests_per_sec = 0;
    double bytes_read_per_sec = 0;
    std::uint64_t non_2xx_3xx = 0;  // status codes are not known one by one
    RecordedLatency latency_ms;
    std::optional<SampleSummary> thread_requests_per_sec;  // wrk's Req/Sec row, when printed
    // The source's own figures that benchctl.load/1 has no field for, verbatim: siege's
    // availability_pct and concurrency, gunicorn-bench's config and errors.
    nlohmann::json figures = nlohmann::json::object();
};

// Writes the document of an imported run: to_load_document's keys, with the recorded summary in
// place of the derived figures, "histograms": null and an "imported" object (docs/load-json.md).
// `result.latency` is not used.
nlohmann::json to_imported_load_document(const LoadSettings& settings, const LoadResult& result,
                                         const RecordedSummary& summary);

// A document written by to_load_document or to_imported_load_document, read back.
struct LoadDocument {
    LoadSettings settings;
    LoadResult result;  // for an imported document: counts only, result.latency stays empty
    std::optional<RecordedSummary> imported;  // present exactly for imported documents
};

// Reads a load document at `root` (a whole file, or the "load" field of a cell document). Throws
// UserError naming the path of the first missing or mistyped field ("field load.requests.started
// is missing"), or a schema other than benchctl.load/1, with the file as root's where.
LoadDocument from_load_document(const JsonField& root);

}  // namespace benchctl
