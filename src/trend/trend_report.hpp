#pragma once

#include <string>
#include <vector>

#include "trend/series_trend.hpp"

namespace benchctl {

// `history report --format html`: one self-contained page (inline SVG and CSS, no script, no
// network) with one trend chart per cell and figure, and under each its change points with
// their size, p-value and the commits around them, and the gate's verdict.
std::string render_trend_html(const std::vector<SeriesTrend>& trends, const std::string& file);

// `history report --format md`: the same as Markdown: per cell and figure a sparkline of the
// medians, the newest median, the change points with the commits around them and the gate's
// verdict.
std::string render_trend_markdown(const std::vector<SeriesTrend>& trends, const std::string& file);

}  // namespace benchctl
