#pragma once

#include <string>

#include "report/model/run_report.hpp"

namespace benchctl {

// Loads a run directory written by `benchctl run` (manifest.json and cells/*.json) into a
// RunReport: every manifest entry in manifest order, its cell document when one was written,
// the load document rebuilt with its histograms, and the derived metrics. Reads files only.
//
// Throws UserError naming the file and what to do when: the directory has no manifest.json, the
// manifest or a cell file is not valid JSON or not of its schema, or a cell the manifest
// reports as done or failed has no file.
RunReport read_run(const std::string& directory);

// The axis values a cell id stands for (ids are value names joined by '.', in axis order),
// matched against the manifest's axes; values that cannot be matched get the remaining text as
// name and label. Used for cells without a document.
std::vector<AxisValue> parameters_from_cell_id(const std::string& cell_id,
                                               const std::vector<Axis>& axes);

}  // namespace benchctl
