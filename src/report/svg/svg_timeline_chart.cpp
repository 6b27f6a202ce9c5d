#include "report/svg/svg_timeline_chart.hpp"

#include <algorithm>
#include <cmath>

#include "report/svg/svg_line_chart.hpp"
#include "report/svg/svg_scale.hpp"

namespace benchctl {

std::string render_timeline_chart(const std::string& title,
                                  const std::vector<TimelineSeries>& series) {
    LineChart chart;
    chart.title = title;
    chart.x_title = "second of the measured run";
    chart.y_title = "requests completed per second";
    std::size_t longest = 1;
    for (const TimelineSeries& one : series) {
        LineSeries line{one.label, {}, one.style_index};
        for (std::size_t second = 0; second < one.seconds.size(); ++second) {
            line.points.emplace_back(static_cast<double>(second),
                                     static_cast<double>(one.seconds[second].completed));
        }
        longest = std::max(longest, one.seconds.size());
        chart.series.push_back(std::move(line));
    }
    const NiceScale x_scale = nice_scale(static_cast<double>(longest - 1), 8);
    chart.x_max = x_scale.top;
    // Seconds are whole: a short run's scale (0, 0.25, 0.5 ...) keeps only its whole ticks.
    for (const double tick : x_scale.ticks) {
        if (tick == std::floor(tick))
            chart.x_ticks.push_back({tick, tick_label(tick)});
    }
    return render_line_chart(chart);
}

}  // namespace benchctl
