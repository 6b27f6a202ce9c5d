#pragma once

#include <optional>
#include <string>
#include <vector>

namespace benchctl {

// One group of bars (one value of the first axis): one value per series, absent where the
// series' cell has no measurement (no bar is drawn there).
struct BarGroup {
    std::string label;
    std::vector<std::optional<double>> values;  // parallel to BarChart::series
    // Parallel to values (or empty): the single measurements a bar summarises, such as each
    // repetition of a cell whose bar is their median, drawn as dots beside the bar.
    std::vector<std::vector<double>> dots;
};

// A grouped bar chart: groups along x, within each group one bar per series, y from 0 to a nice
// top above the highest value. Strings are unescaped; render_bar_chart escapes them.
struct BarChart {
    std::string title;  // the image's accessible name
    std::string y_title;
    std::string unit;                 // in each bar's tooltip after its value: "requests/sec"
    std::vector<std::string> series;  // legend labels, styled by index (series_style)
    std::vector<BarGroup> groups;
};

// The chart as an inline <svg> with a viewBox: bars (each with a tooltip "group / series: value
// unit"), each bar's dots in a column at its right edge (each with its own tooltip), group
// labels under them, the y axis with its grid, and a legend when there is more
// than one series. Wide enough for every bar to stay at least 10 units wide.
std::string render_bar_chart(const BarChart& chart);

}  // namespace benchctl
