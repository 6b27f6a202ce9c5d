#pragma once

#include <cstddef>
#include <string>

namespace benchctl {

// How one series of a chart is drawn: a fill / stroke colour and an SVG stroke-dasharray ("" for
// a solid line).
struct SeriesStyle {
    std::string colour;
    std::string dash;
};

// The style of the series at `index` (0-based): Okabe and Ito's colour-blind-safe palette
// ("Color Universal Design", 2002) without its yellow, which is unreadable on white. Past its seven
// colours the colours repeat with a dash pattern, so no two of the first 28 series look alike,
// in colour or in greyscale print.
SeriesStyle series_style(std::size_t index);

}  // namespace benchctl
