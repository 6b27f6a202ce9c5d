#pragma once

#include <string>
#include <vector>

namespace benchctl {

// A tick on a chart's axis: where (in data units) and what it says.
struct AxisTick {
    double value = 0;
    std::string label;
};

// One line: its legend label and its points in data units, in drawing order.
struct LineSeries {
    std::string label;
    std::vector<std::pair<double, double>> points;  // (x, y)
    std::size_t style_index = 0;  // series_style(style_index): the same cell kind, the same look
};

// A chart of lines sharing one x axis (given range and ticks) and one y axis from 0 to a nice
// top above the highest y. Strings are unescaped; render_line_chart escapes them.
struct LineChart {
    std::string title;  // the image's accessible name
    std::string x_title;
    std::string y_title;
    double x_min = 0;
    double x_max = 1;
    std::vector<AxisTick> x_ticks;
    std::vector<LineSeries> series;  // in legend order
};

// The chart as an inline <svg> with a viewBox, a grid, both axes with their titles, one polyline
// per series with at least one point (its label as tooltip) and a legend below.
std::string render_line_chart(const LineChart& chart);

}  // namespace benchctl
