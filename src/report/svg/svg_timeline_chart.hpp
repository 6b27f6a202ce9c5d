#pragma once

#include <string>
#include <vector>

#include "load/load_result.hpp"

namespace benchctl {

// One cell's timeline in a timeline chart.
struct TimelineSeries {
    std::string label;                    // unescaped
    std::vector<TimelineSecond> seconds;  // the load document's timeline, second 0 first
    std::size_t style_index = 0;          // series_style(style_index)
};

// Completed requests in each second of the measured run (by completion time, as the load
// document counts them), one line per series, x in seconds from the start of the measured run
// (a second's point at its start), as an inline <svg>. A series without seconds draws no line.
// The last second of a run that stopped mid-second holds only that part.
std::string render_timeline_chart(const std::string& title,
                                  const std::vector<TimelineSeries>& series);

}  // namespace benchctl
