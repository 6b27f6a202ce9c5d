#pragma once

#include <optional>
#include <string>
#include <vector>

#include "import/imported_cell.hpp"
#include "import/source_text.hpp"

namespace benchctl {

// The kinds of benchmark output `benchctl import` reads (docs/import.md).
enum class ImportFormat {
    wrk,             // wrk's text output, one or several summaries per file
    siege,           // siege's closing summary, one or several per file
    gunicorn_bench,  // gunicorn's benchmark results JSON (source document 001)
    markdown,        // a Markdown document whose headings name the cells (source 000, 004)
};

// The format named `text` ("wrk" or "wrk-text", "siege", "gunicorn-bench" or "gunicorn",
// "markdown" or "md"), nullopt for any other text.
std::optional<ImportFormat> find_import_format(const std::string& text);

// Every name find_import_format knows, canonical ones first.
const std::vector<std::string>& import_format_names();

// Like find_import_format, but throws UserError naming `where` with a "did you mean" hint.
ImportFormat parse_import_format(const std::string& text, const std::string& where);

// Tells the format of a file from its content: gunicorn-bench JSON (an object with "results"),
// Markdown (headings with wrk or siege summaries under them), wrk's text, siege's summary, in
// that order. Throws UserError naming the file when none fits.
ImportFormat detect_import_format(const SourceText& source);

// Reads `source` as `format` with the matching parser.
ImportedDocument parse_import_source(const SourceText& source, ImportFormat format);

}  // namespace benchctl
