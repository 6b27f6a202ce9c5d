#include "history/series.hpp"

namespace benchctl {

std::vector<double> Series::medians() const {
    std::vector<double> values;
    values.reserve(points.size());
    for (const SeriesPoint& point : points)
        values.push_back(point.median);
    return values;
}

}  // namespace benchctl
