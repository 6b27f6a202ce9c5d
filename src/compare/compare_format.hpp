#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compare/comparison.hpp"

namespace benchctl {

// What the text, Markdown and JSON output of `compare` say alike, worded once.

// "results/new (run 20261124T010000Z-ci, branch=main, commit=abc123)", or for a history
// baseline "history results/history.db, newest stable segment (newest run ...)".
std::string side_description(const SampleSet& side);

// A figure's median for people, with its unit: "1,234.56", "12.30 ms"; "—" when absent.
std::string value_text(Metric metric, const std::optional<double>& value);

// The change of the medians: "-17.0%", "+2.1%", "0.0%", "from 0" (BASE 0, NEW not); "—" absent.
std::string change_text(const MetricComparison& comparison);

// The U test's p-value with three significant digits ("0.00794"); "—" when the test did not run.
std::string p_value_text(const MetricComparison& comparison);

// The verdict, "(weak)" after it when the threshold alone judged: "slower (weak)".
std::string verdict_text(const MetricComparison& comparison);

// "3 cells: 1 slower (b.sync), 2 unchanged": each verdict with its count, the cells named for
// slower and failed.
std::string verdict_summary(const Comparison& comparison);

// The lines under the table: cells on one side only, the weak-verdict note, the settings.
std::vector<std::string> comparison_notes(const Comparison& comparison);

}  // namespace benchctl
