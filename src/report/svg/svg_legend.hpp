#pragma once

#include <string>
#include <vector>

#include "report/svg/svg_palette.hpp"
#include "report/svg/svg_writer.hpp"

namespace benchctl {

// One entry of a chart's legend.
struct LegendEntry {
    std::string label;  // unescaped; escaped when drawn
    SeriesStyle style;
};

// How legend entries are marked: a filled box (bar charts) or a short line (line charts).
enum class LegendMark { box, line };

// The legend as rows of entries that wrap at `width` user units, entries' widths estimated from
// their labels (SVG text has no layout of its own). The height it needs: 0 without entries.
double legend_height(const std::vector<LegendEntry>& entries, double width);

// Draws the legend with its top-left corner at (x, y), within `width`, as legend_height() laid
// it out.
void draw_legend(SvgWriter& svg, const std::vector<LegendEntry>& entries, double x, double y,
                 double width, LegendMark mark);

// The width in user units of `text` at the charts' 12-unit font, estimated (7 units per
// character, counting UTF-8 code points).
double estimated_text_width(const std::string& text);

}  // namespace benchctl
