#pragma once

#include <nlohmann/json.hpp>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"

namespace benchctl {

// The versioned JSON document of one load run ("schema": "benchctl.load/1"), documented in
// docs/load-json.md. It holds the settings, the exact counts, summaries for people and scripts,
// and the serialized histograms, so every summary can be recomputed from it.
inline constexpr const char* k_load_schema = "benchctl.load/1";

nlohmann::json to_load_document(const LoadSettings& settings, const LoadResult& result);

// Reads a document written by to_load_document. Throws UserError naming the first missing or
// mistyped field, or a schema other than benchctl.load/1.
struct LoadDocument {
    LoadSettings settings;
    LoadResult result;
};
LoadDocument from_load_document(const nlohmann::json& doc);

}  // namespace benchctl
