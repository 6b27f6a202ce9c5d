#pragma once

#include <string>
#include <vector>

namespace benchctl {

// A value axis from 0 to a "nice" top (1, 2, 2.5 or 5 times a power of ten), with its ticks.
struct NiceScale {
    double top = 1;             // > 0; the axis ends here
    std::vector<double> ticks;  // 0, step, 2*step ... top
};

// The scale for data whose largest value is `max_value`, with about `target_ticks` (>= 2)
// intervals. A max that is 0, negative or not finite gives 0..1.
NiceScale nice_scale(double max_value, int target_ticks = 5);

// `value` mapped linearly from [from_low, from_high] onto [to_low, to_high]. A zero-width source
// range maps everything to to_low.
double scale_linear(double value, double from_low, double from_high, double to_low, double to_high);

// A tick's label for people: thousands separators and the fewest decimals (up to three) that
// show `value` exactly: 2500 -> "2,500", 0.25 -> "0.25".
std::string tick_label(double value);

}  // namespace benchctl
