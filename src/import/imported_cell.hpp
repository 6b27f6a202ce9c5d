#pragma once

#include <string>
#include <vector>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"
#include "results/load_document.hpp"

namespace benchctl {

// One cell read from a source: what names it, and its load document's parts. `summary` holds the
// figures as the source printed them (LoadSummary with its source set); `result` the counts.
struct ImportedCell {
    // The cell's names, outermost first: Markdown headings, a gunicorn-bench scenario; empty for a
    // block of a plain wrk or siege file (the importer names it after the file).
    std::vector<std::string> labels;
    LoadSettings settings;
    LoadResult result;
    LoadSummary summary;
};

// What one parser read from one file.
struct ImportedDocument {
    std::string title;       // a Markdown document's "#" heading; "" when the source has none
    std::string started_at;  // when the source says it ran (gunicorn-bench "timestamp"), else ""
    // Names for the label levels when the source has them ("scenario"); else empty.
    std::vector<std::string> axis_names;
    std::vector<ImportedCell> cells;
};

}  // namespace benchctl
