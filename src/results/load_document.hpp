#pragma once

#include <nlohmann/json_fwd.hpp>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"
#include "results/load_summary.hpp"

namespace benchctl {

class JsonField;

// The versioned JSON document of one load run ("schema": "benchctl.load/2"), documented in
// docs/load-json.md. It holds the settings, the exact counts, summaries for people and scripts,
// and the serialized histograms, so every summary can be recomputed from it. Version 2 added
// the request model's figures (by_request, data_sets, errors.check, connects, the seed);
// documents of version 1 are still read.
inline constexpr const char* k_load_schema = "benchctl.load/2";
inline constexpr const char* k_load_schema_v1 = "benchctl.load/1";

nlohmann::json to_load_document(const LoadSettings& settings, const LoadResult& result);

// Writes the document of a run another tool measured (`benchctl import`): to_load_document's
// keys, with `summary`'s figures (as recorded; an absent one is null) in place of the derived
// ones, "histograms": null and an "imported" object naming summary.source and holding
// summary.source_figures (docs/load-json.md). `result.latency` is not used; summary.source must
// be set.
nlohmann::json to_imported_load_document(const LoadSettings& settings, const LoadResult& result,
                                         const LoadSummary& summary);

// A document written by to_load_document or to_imported_load_document, read back.
struct LoadDocument {
    LoadSettings settings;
    LoadResult result;  // of an imported document: counts only, result.latency stays empty
    // summarize(result) for a measured document; the recorded figures (with their source) for an
    // imported one. Reports read figures from here only.
    LoadSummary summary;
};

// Reads a load document at `root` (a whole file, or the "load" field of a cell document). Throws
// UserError naming the path of the first missing or mistyped field ("field load.requests.started
// is missing"), or a schema other than benchctl.load/2 or /1, with the file as root's where. A
// version-1 document reads as one with no check failures, no named requests and seed 0.
LoadDocument from_load_document(const JsonField& root);

}  // namespace benchctl
