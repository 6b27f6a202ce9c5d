#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "history/series.hpp"
#include "stats/e_divisive.hpp"

namespace benchctl {

// The newest stretch of a series without a change point: the baseline a new run is compared
// with (`compare --baseline history`).
struct StableSegment {
    std::size_t begin = 0;  // index in Series::points of its first point
    std::size_t end = 0;    // one past its last point: the series' size
    // The change point that starts it; absent when the whole series is one segment.
    std::optional<ChangePoint> starting_change;

    std::size_t size() const { return end - begin; }
};

// The points after the series' last change point (detect_change_points on its medians), or the
// whole series when it has none (or is too short for any). Throws std::invalid_argument on
// options that detect_change_points refuses.
StableSegment newest_stable_segment(const Series& series, const ChangePointOptions& options = {});

// The medians of the segment's points, in order: one value per run, the sample a baseline is.
std::vector<double> segment_medians(const Series& series, const StableSegment& segment);

}  // namespace benchctl
