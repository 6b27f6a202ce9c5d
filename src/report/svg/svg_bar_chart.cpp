#include "report/svg/svg_bar_chart.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report/svg/svg_legend.hpp"
#include "report/svg/svg_palette.hpp"
#include "report/svg/svg_plot_frame.hpp"
#include "report/svg/svg_scale.hpp"
#include "report/svg/svg_writer.hpp"
#include "util/number_format.hpp"

namespace benchctl {

namespace {

constexpr double k_min_plot_width = 632;
constexpr double k_min_bar_width = 10;
constexpr double k_group_fill = 0.8;  // of a group's slot taken by its bars
constexpr double k_bar_left = 72;
constexpr double k_bar_right = 16;
constexpr double k_bar_top = 16;
constexpr double k_bar_plot_height = 240;
constexpr double k_bar_below_plot = 30;  // group labels
constexpr double k_dot_radius = 2.5;

double highest_value(const BarChart& chart) {
    double highest = 0;
    for (const BarGroup& group : chart.groups) {
        for (const std::optional<double>& value : group.values)
            highest = std::max(highest, value.value_or(0));
        for (const std::vector<double>& dots : group.dots) {
            for (const double dot : dots)
                highest = std::max(highest, dot);
        }
    }
    return highest;
}

double plot_width(const BarChart& chart) {
    const double bars =
        static_cast<double>(chart.groups.size() * std::max<std::size_t>(chart.series.size(), 1));
    return std::max(k_min_plot_width, bars * k_min_bar_width / k_group_fill);
}

// `text` cut with an ellipsis to fit about `width` units; the full text stays in the table.
std::string fitted(const std::string& text, double width) {
    if (estimated_text_width(text) <= width)
        return text;
    std::string cut;
    for (const char c : text) {
        const bool starts_code_point = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (starts_code_point && estimated_text_width(cut + "..") > width)
            break;
        cut += c;
    }
    return cut + "…";
}

// A repetition's value as a dot at its height, on the right edge of its bar: black with a white
// ring, so it stands out on every bar colour and above the top of a short bar.
void draw_dots(SvgWriter& svg, const PlotFrame& frame, const NiceScale& scale, double x,
               const std::vector<double>& dots, const std::string& unit) {
    for (std::size_t k = 0; k < dots.size(); ++k) {
        const double y = scale_linear(dots[k], 0, scale.top, frame.bottom, frame.top);
        svg.circle(x, y, k_dot_radius, "#000000", "#ffffff",
                   fmt::format("repetition {}: {} {}", k + 1, format_grouped(dots[k], 2), unit));
    }
}

void draw_group(SvgWriter& svg, const PlotFrame& frame, const BarChart& chart, std::size_t index,
                const NiceScale& scale) {
    const BarGroup& group = chart.groups[index];
    const double slot = (frame.right - frame.left) / static_cast<double>(chart.groups.size());
    const double slot_left = frame.left + slot * static_cast<double>(index);
    const double bar_width =
        slot * k_group_fill / static_cast<double>(std::max<std::size_t>(group.values.size(), 1));
    const double bars_left = slot_left + slot * (1 - k_group_fill) / 2;
    for (std::size_t i = 0; i < group.values.size(); ++i) {
        if (!group.values[i])
            continue;
        const double value = *group.values[i];
        const double top = scale_linear(value, 0, scale.top, frame.bottom, frame.top);
        const SeriesStyle style = series_style(i);
        const std::string series = i < chart.series.size() ? chart.series[i] : "";
        const std::string tooltip =
            fmt::format("{}{}{}: {} {}", group.label, series.empty() ? "" : " / ", series,
                        format_grouped(value, 2), chart.unit);
        const double left = bars_left + bar_width * static_cast<double>(i);
        svg.rect(left, top, bar_width, frame.bottom - top, style.colour, style.dash, tooltip);
        if (i < group.dots.size())
            draw_dots(svg, frame, scale, left + bar_width, group.dots[i], chart.unit);
    }
    svg.text(slot_left + slot / 2, frame.bottom + 18, fitted(group.label, slot - 4), "middle",
             "tick");
}

}  // namespace

std::string render_bar_chart(const BarChart& chart) {
    PlotFrame frame{k_bar_left, 0, k_bar_top, k_bar_top + k_bar_plot_height};
    frame.right = frame.left + plot_width(chart);
    const double width = frame.right + k_bar_right;
    std::vector<LegendEntry> legend;
    if (chart.series.size() > 1) {
        for (std::size_t i = 0; i < chart.series.size(); ++i)
            legend.push_back({chart.series[i], series_style(i)});
    }
    const double legend_width = frame.right - frame.left;
    const double height = frame.bottom + k_bar_below_plot + legend_height(legend, legend_width) + 8;
    SvgWriter svg(width, height, chart.title);
    const NiceScale scale = nice_scale(highest_value(chart));
    draw_value_axis(svg, frame, scale, chart.y_title);
    for (std::size_t i = 0; i < chart.groups.size(); ++i)
        draw_group(svg, frame, chart, i, scale);
    draw_legend(svg, legend, frame.left, frame.bottom + k_bar_below_plot, legend_width,
                LegendMark::box);
    return svg.finish();
}

}  // namespace benchctl
