#include "history/stable_segment.hpp"

namespace benchctl {

StableSegment newest_stable_segment(const Series& series, const ChangePointOptions& options) {
    StableSegment segment;
    segment.end = series.points.size();
    const std::vector<double> medians = series.medians();
    const std::vector<ChangePoint> changes = detect_change_points(medians, options);
    if (!changes.empty()) {
        segment.begin = changes.back().index;
        segment.starting_change = changes.back();
    }
    return segment;
}

std::vector<double> segment_medians(const Series& series, const StableSegment& segment) {
    std::vector<double> medians;
    for (std::size_t i = segment.begin; i < segment.end; ++i)
        medians.push_back(series.points[i].median);
    return medians;
}

}  // namespace benchctl
