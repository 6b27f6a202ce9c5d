#include "load/weighted_choice.hpp"

#include <algorithm>

namespace benchctl {

WeightedChoice::WeightedChoice(const std::vector<double>& weights) {
    double total = 0;
    m_cumulative.reserve(weights.size());
    for (double weight : weights) {
        total += weight;
        m_cumulative.push_back(total);
    }
}

std::size_t WeightedChoice::pick(double unit) const {
    if (m_cumulative.size() <= 1)
        return 0;
    const double point = unit * m_cumulative.back();
    // The first index whose cumulative weight exceeds the point: its share is [previous, own).
    auto found = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), point);
    if (found == m_cumulative.end())
        --found;  // rounding at the very top
    return static_cast<std::size_t>(found - m_cumulative.begin());
}

}  // namespace benchctl
