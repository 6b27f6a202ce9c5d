#include "report/svg/svg_scale.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "util/number_format.hpp"

namespace benchctl {

NiceScale nice_scale(double max_value, int target_ticks) {
    if (!(max_value > 0) || !std::isfinite(max_value))
        return {1, {0, 0.25, 0.5, 0.75, 1}};
    const double rough = max_value / std::max(target_ticks, 2);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = 10 * magnitude;
    for (const double factor : std::array{1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (factor * magnitude >= rough) {
            step = factor * magnitude;
            break;
        }
    }
    NiceScale scale;
    const auto intervals = static_cast<int>(std::ceil(max_value / step - 1e-9));
    scale.top = step * std::max(intervals, 1);
    for (int i = 0; i <= std::max(intervals, 1); ++i)
        scale.ticks.push_back(step * i);
    return scale;
}

double scale_linear(double value, double from_low, double from_high, double to_low,
                    double to_high) {
    if (from_high == from_low)
        return to_low;
    return to_low + (value - from_low) / (from_high - from_low) * (to_high - to_low);
}

std::string tick_label(double value) {
    for (int decimals = 0; decimals < 3; ++decimals) {
        const double factor = std::pow(10.0, decimals);
        if (std::abs(std::round(value * factor) - value * factor) < 1e-6)
            return format_grouped(value, decimals);
    }
    return format_grouped(value, 3);
}

}  // namespace benchctl
