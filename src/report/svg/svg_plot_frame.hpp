#pragma once

#include <string>

#include "report/svg/svg_scale.hpp"
#include "report/svg/svg_writer.hpp"

namespace benchctl {

// The plot area of a chart inside its SVG, in SVG units: y grows downwards, so top < bottom.
struct PlotFrame {
    double left = 0;
    double right = 0;
    double top = 0;
    double bottom = 0;
};

// Draws the value (y) axis shared by the bar and line charts: a grid line and a label at every
// tick of `scale` (the zero line as the axis), and `title` rotated along the left edge.
void draw_value_axis(SvgWriter& svg, const PlotFrame& frame, const NiceScale& scale,
                     const std::string& title);

}  // namespace benchctl
