#include "trend/trend_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "report/svg/svg_legend.hpp"
#include "report/svg/svg_palette.hpp"
#include "report/svg/svg_plot_frame.hpp"
#include "report/svg/svg_scale.hpp"
#include "report/svg/svg_writer.hpp"
#include "stats/repetition_summary.hpp"
#include "trend/history_text.hpp"

namespace benchctl {

namespace {

constexpr double k_width = 720;
constexpr double k_left = 72;
constexpr double k_right = 24;
constexpr double k_top = 28;  // change point labels
constexpr double k_plot_height = 220;
constexpr double k_below_plot = 40;
constexpr double k_label_width = 80;  // a run label's room under the axis

double highest_value(const Series& series) {
    double highest = 0;
    for (const SeriesPoint& point : series.points) {
        for (const double sample : point.samples)
            highest = std::max(highest, sample);
    }
    return highest;
}

// The x of run `index`: runs spread evenly, half a slot from either edge.
double x_of(const PlotFrame& frame, std::size_t index, std::size_t runs) {
    const double slot =
        (frame.right - frame.left) / static_cast<double>(std::max<std::size_t>(runs, 1));
    return frame.left + slot * (static_cast<double>(index) + 0.5);
}

void draw_run_labels(SvgWriter& svg, const PlotFrame& frame, const Series& series) {
    const std::size_t runs = series.points.size();
    const double slot =
        (frame.right - frame.left) / static_cast<double>(std::max<std::size_t>(runs, 1));
    const std::size_t every =
        std::max<std::size_t>(1, static_cast<std::size_t>(k_label_width / slot) + 1);
    for (std::size_t i = 0; i < runs; ++i) {
        if (i % every != 0 && i + 1 != runs)
            continue;
        svg.text(x_of(frame, i, runs), frame.bottom + 16, point_name(series.points[i]), "middle",
                 "tick");
    }
}

void draw_segments(SvgWriter& svg, const PlotFrame& frame, const SeriesTrend& trend,
                   const NiceScale& scale) {
    const std::size_t runs = trend.series.points.size();
    std::vector<std::size_t> starts = {0};
    for (const ChangePoint& change : trend.gate.change_points)
        starts.push_back(change.index);
    starts.push_back(runs);
    const std::vector<double> medians = trend.series.medians();
    for (std::size_t s = 0; s + 1 < starts.size(); ++s) {
        std::vector<double> segment(medians.begin() + static_cast<long>(starts[s]),
                                    medians.begin() + static_cast<long>(starts[s + 1]));
        if (segment.empty())
            continue;
        const double level =
            scale_linear(median_of(segment), 0, scale.top, frame.bottom, frame.top);
        const double slot = (frame.right - frame.left) / static_cast<double>(runs);
        svg.polyline({{x_of(frame, starts[s], runs) - slot / 2, level},
                      {x_of(frame, starts[s + 1] - 1, runs) + slot / 2, level}},
                     "#777777", "6 4",
                     fmt::format("median of this segment: {}",
                                 describe(trend.metric).format(median_of(segment))));
    }
}

void draw_changes(SvgWriter& svg, const PlotFrame& frame, const SeriesTrend& trend) {
    const std::size_t runs = trend.series.points.size();
    for (const ChangePoint& change : trend.gate.change_points) {
        const double x =
            (x_of(frame, change.index - 1, runs) + x_of(frame, change.index, runs)) / 2;
        const std::string label = change_size_text(change);
        svg.polyline({{x, frame.top}, {x, frame.bottom}}, "#D55E00", "4 3",
                     fmt::format("change point: {}, {}", label,
                                 change_location(trend.series, change.index)));
        svg.text(x, frame.top - 8, label, "middle", "tick");
    }
}

void draw_points(SvgWriter& svg, const PlotFrame& frame, const SeriesTrend& trend,
                 const NiceScale& scale) {
    const Series& series = trend.series;
    const std::size_t runs = series.points.size();
    const MetricDescriptor& d = describe(trend.metric);
    std::vector<SvgPoint> line;
    const auto y_of = [&](double value) {
        return scale_linear(value, 0, scale.top, frame.bottom, frame.top);
    };
    for (std::size_t i = 0; i < runs; ++i) {
        const SeriesPoint& point = series.points[i];
        const double x = x_of(frame, i, runs);
        const auto [low, high] = std::minmax_element(point.samples.begin(), point.samples.end());
        if (*high > *low)
            svg.polyline({{x, y_of(*low)}, {x, y_of(*high)}}, "#56B4E9", "", "");
        line.push_back({x, y_of(point.median)});
    }
    svg.polyline(line, series_style(0).colour, "", d.label);
    for (std::size_t i = 0; i < runs; ++i) {
        const SeriesPoint& point = series.points[i];
        svg.circle(line[i].x, line[i].y, 3, series_style(0).colour, "#ffffff",
                   fmt::format("{} ({}): median {} of {} repetition{}", point_name(point),
                               point.run_id, d.format(point.median), point.samples.size(),
                               point.samples.size() == 1 ? "" : "s"));
    }
}

}  // namespace

std::string render_trend_chart(const SeriesTrend& trend) {
    const PlotFrame frame{k_left, k_width - k_right, k_top, k_top + k_plot_height};
    const MetricDescriptor& d = describe(trend.metric);
    SvgWriter svg(k_width, frame.bottom + k_below_plot,
                  fmt::format("{} of {} over {} runs", d.label, trend.series.cell_id,
                              trend.series.points.size()));
    const NiceScale scale = nice_scale(highest_value(trend.series));
    draw_value_axis(svg, frame, scale, fmt::format("{} ({})", d.label, d.unit));
    draw_segments(svg, frame, trend, scale);
    draw_changes(svg, frame, trend);
    draw_points(svg, frame, trend, scale);
    draw_run_labels(svg, frame, trend.series);
    return svg.finish();
}

std::string sparkline(const SeriesTrend& trend) {
    static constexpr std::array<const char*, 8> k_blocks = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    const std::vector<double> medians = trend.series.medians();
    if (medians.empty())
        return "";
    const auto [low, high] = std::minmax_element(medians.begin(), medians.end());
    std::string line;
    for (std::size_t i = 0; i < medians.size(); ++i) {
        for (const ChangePoint& change : trend.gate.change_points) {
            if (change.index == i)
                line += "|";
        }
        const double share = *high > *low ? (medians[i] - *low) / (*high - *low) : 0.5;
        line += k_blocks[std::min<std::size_t>(7, static_cast<std::size_t>(share * 8))];
    }
    return line;
}

}  // namespace benchctl
