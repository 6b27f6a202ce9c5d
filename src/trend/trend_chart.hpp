#pragma once

#include <string>

#include "trend/series_trend.hpp"

namespace benchctl {

// One series as an inline <svg> (viewBox, no external reference), oldest run left: each run's
// median as a dot (tooltip: run, commit, median, repetitions) joined by a line, a bar from the
// run's lowest to highest repetition, each stable segment's median as a dashed level, and each
// change point as a dashed vertical line before its first run, labelled with its size and
// p-value. Runs are labelled by commit (or run id) under the axis, thinned to fit.
std::string render_trend_chart(const SeriesTrend& trend);

// The medians as a line of Unicode block characters, lowest "▁" to highest "█", with "|" before
// the first run of each change point: a chart that fits in Markdown.
std::string sparkline(const SeriesTrend& trend);

}  // namespace benchctl
