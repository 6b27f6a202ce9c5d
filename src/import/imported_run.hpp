#pragma once

#include <optional>
#include <string>
#include <vector>

#include "import/import_format.hpp"
#include "import/source_text.hpp"
#include "results/cell_record.hpp"
#include "results/run_manifest.hpp"

namespace benchctl {

// What `benchctl import` was asked for, checked by the CLI.
struct ImportOptions {
    std::optional<ImportFormat> format;  // nullopt: told from each file's content
    std::string name;  // the run's name (--name, checked with is_run_name); "" = from the file
    std::vector<std::string> axes;  // axis names, outermost first (--axes); empty = defaults
};

// A run directory's content built from sources: the manifest and one cell document per
// summary found, all "done", each load document imported (histograms null, figures recorded).
struct ImportedRun {
    RunManifest manifest;
    std::vector<CellRecord> cells;
    unsigned repeat = 1;  // the most summaries found under one set of labels
};

// Parses every source (with options.format, or the format each one's content shows) and builds
// the run named `run_id`. Cells are named by their labels (headings, scenarios), else by their
// file's stem ("results", "results #2" when a file holds several); the labels become the axes'
// value labels as written and their slugs the value names; a cell found again under the same
// labels is a further repetition. Axes are named by options.axes, else by the sources ("h2",
// "h3" ... for Markdown, "scenario" for gunicorn-bench, "run" for plain files). The title is a
// Markdown document's "#" heading, else the name. Throws UserError naming file:line for
// malformed input and --axes when it names a different number of axes than the sources have,
// or one twice.
ImportedRun build_imported_run(const std::vector<SourceText>& sources, const ImportOptions& options,
                               const std::string& run_id);

// The run's name: options.name, or the first file's stem made a run name (slug_for_label:
// "My Results (2).txt" -> "my-results-2"). Throws UserError naming --name when options.name is
// not a run name (is_run_name: no '/', "..", blank or line break).
std::string imported_run_name(const ImportOptions& options, const std::vector<SourceText>& sources);

// Checks, before any file is parsed, that `path` can become the run directory: it does not exist
// or is empty, and the directory that would hold it can be written. Throws UserError naming
// --out otherwise.
void check_import_destination(const std::string& path);

// Writes `run` into a new run directory `path` (cells/*.json, then manifest.json). Throws
// UserError naming --out when `path` exists and is not empty: an import never overwrites.
void write_imported_run(const ImportedRun& run, const std::string& path);

}  // namespace benchctl
