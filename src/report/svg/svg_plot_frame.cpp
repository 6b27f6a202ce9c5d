#include "report/svg/svg_plot_frame.hpp"

namespace benchctl {

void draw_value_axis(SvgWriter& svg, const PlotFrame& frame, const NiceScale& scale,
                     const std::string& title) {
    for (const double tick : scale.ticks) {
        const double y = scale_linear(tick, 0, scale.top, frame.bottom, frame.top);
        svg.line(frame.left, y, frame.right, y, tick == 0 ? "axis" : "grid");
        svg.text(frame.left - 6, y + 4, tick_label(tick), "end", "tick");
    }
    svg.text(16, (frame.top + frame.bottom) / 2, title, "middle", "axis-title", -90);
}

}  // namespace benchctl
