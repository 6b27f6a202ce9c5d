#include "report/svg/svg_line_chart.hpp"

#include <algorithm>

#include "report/svg/svg_legend.hpp"
#include "report/svg/svg_palette.hpp"
#include "report/svg/svg_plot_frame.hpp"
#include "report/svg/svg_scale.hpp"
#include "report/svg/svg_writer.hpp"

namespace benchctl {

namespace {

constexpr double k_width = 720;
constexpr double k_line_left = 72;   // room for the y tick labels and title
constexpr double k_line_right = 32;  // room for the last x tick label
constexpr double k_line_top = 16;
constexpr double k_line_plot_height = 240;
constexpr double k_line_below_plot = 52;  // x tick labels and title

double highest_y(const LineChart& chart) {
    double highest = 0;
    for (const LineSeries& series : chart.series) {
        for (const auto& point : series.points)
            highest = std::max(highest, point.second);
    }
    return highest;
}

void draw_x_axis(SvgWriter& svg, const PlotFrame& frame, const LineChart& chart) {
    for (const AxisTick& tick : chart.x_ticks) {
        const double x =
            scale_linear(tick.value, chart.x_min, chart.x_max, frame.left, frame.right);
        svg.line(x, frame.top, x, frame.bottom, tick.value == chart.x_min ? "axis" : "grid");
        svg.text(x, frame.bottom + 18, tick.label, "middle", "tick");
    }
    svg.text((frame.left + frame.right) / 2, frame.bottom + 42, chart.x_title, "middle",
             "axis-title");
}

void draw_series(SvgWriter& svg, const PlotFrame& frame, const LineChart& chart,
                 const NiceScale& scale) {
    for (const LineSeries& series : chart.series) {
        if (series.points.empty())
            continue;
        std::vector<SvgPoint> points;
        points.reserve(series.points.size());
        for (const auto& [x, y] : series.points) {
            points.push_back({scale_linear(x, chart.x_min, chart.x_max, frame.left, frame.right),
                              scale_linear(y, 0, scale.top, frame.bottom, frame.top)});
        }
        const SeriesStyle style = series_style(series.style_index);
        svg.polyline(points, style.colour, style.dash, series.label);
    }
}

}  // namespace

std::string render_line_chart(const LineChart& chart) {
    const PlotFrame frame{k_line_left, k_width - k_line_right, k_line_top,
                          k_line_top + k_line_plot_height};
    std::vector<LegendEntry> legend;
    for (const LineSeries& series : chart.series)
        legend.push_back({series.label, series_style(series.style_index)});
    const double legend_width = frame.right - frame.left;
    const double height =
        frame.bottom + k_line_below_plot + legend_height(legend, legend_width) + 8;
    SvgWriter svg(k_width, height, chart.title);
    const NiceScale scale = nice_scale(highest_y(chart));
    draw_value_axis(svg, frame, scale, chart.y_title);
    draw_x_axis(svg, frame, chart);
    draw_series(svg, frame, chart, scale);
    draw_legend(svg, legend, frame.left, frame.bottom + k_line_below_plot, legend_width,
                LegendMark::line);
    return svg.finish();
}

}  // namespace benchctl
