#pragma once

#include <cstddef>
#include <vector>

namespace benchctl {

// Picks an index with probability proportional to its weight: the cumulative weights are kept,
// and a uniform draw in [0, 1) is found among them by binary search (O(log n), no allocation).
class WeightedChoice {
  public:
    // `weights` must be positive and finite (the request model checks them); at least one.
    explicit WeightedChoice(const std::vector<double>& weights);

    // The index whose share of [0, total) holds `unit` * total; `unit` in [0, 1).
    std::size_t pick(double unit) const;

    std::size_t size() const { return m_cumulative.size(); }

  private:
    std::vector<double> m_cumulative;
};

}  // namespace benchctl
