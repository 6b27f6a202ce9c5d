#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "compare/comparison.hpp"

namespace benchctl {

// The versioned JSON document of `compare --format json` (docs/compare.md,
// docs/compare.schema.json).
inline constexpr const char* k_compare_schema = "benchctl.compare/1";

// Whether text output colours its verdicts (ANSI escapes; on a terminal only).
enum class Colour { no, yes };

// The aligned table `compare` prints by default: a header naming both sides, a warning line per
// machine difference, one row per cell and figure (cell, figure, BASE, NEW, change, p-value,
// verdict), then the summary and notes. With Colour::yes, slower and failed are red, faster
// green, noisy yellow.
std::string render_compare_text(const Comparison& comparison, const SampleSet& base,
                                const SampleSet& next, Colour colour);

// The same as a Markdown section for a pull request or $GITHUB_STEP_SUMMARY: a heading, both
// sides, machine warnings as a quote, the table (verdicts other than unchanged in bold), the
// summary and notes.
std::string render_compare_markdown(const Comparison& comparison, const SampleSet& base,
                                    const SampleSet& next);

// benchctl.compare/1: both sides, the options, machine differences, every cell and figure with
// its samples, medians, ratio, change, p-value and verdict, the one-sided cells and the counts.
nlohmann::json compare_json(const Comparison& comparison, const SampleSet& base,
                            const SampleSet& next);

}  // namespace benchctl
