#include "stats/energy_split.hpp"

#include <algorithm>
#include <numeric>

namespace benchctl {
namespace {

// Fenwick tree primitives on a 1-based array of size m + 1.
void fenwick_add(std::vector<double>& tree, std::size_t position, double amount) {
    for (std::size_t i = position + 1; i < tree.size(); i += i & (0 - i))
        tree[i] += amount;
}

double fenwick_prefix(const std::vector<double>& tree, std::size_t end) {  // sum over [0, end)
    double total = 0;
    for (std::size_t i = end; i > 0; i -= i & (0 - i))
        total += tree[i];
    return total;
}

}  // namespace

std::vector<std::uint32_t> ascending_ranks(std::span<const double> values) {
    std::vector<std::uint32_t> order(values.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
    std::vector<std::uint32_t> ranks(values.size());
    for (std::size_t position = 0; position < order.size(); ++position)
        ranks[order[position]] = static_cast<std::uint32_t>(position);
    return ranks;
}

std::vector<double> mid_ranks(std::span<const double> values) {
    const std::vector<std::uint32_t> positions = ascending_ranks(values);
    std::vector<std::uint32_t> order(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        order[positions[i]] = static_cast<std::uint32_t>(i);
    std::vector<double> ranks(values.size());
    for (std::size_t begin = 0; begin < order.size();) {
        std::size_t end = begin + 1;
        while (end < order.size() && values[order[end]] == values[order[begin]])
            ++end;
        const double mid = (static_cast<double>(begin + 1) + static_cast<double>(end)) / 2;
        for (std::size_t k = begin; k < end; ++k)
            ranks[order[k]] = mid;
        begin = end;
    }
    return ranks;
}

// within[t] for the points inserted so far: forwards, t points from the front (z[0, t));
// backwards, the points from t to the end (z[t, m)).
void EnergySplitScan::prefix_within_sums(std::span<const double> values,
                                         std::span<const std::uint32_t> ranks, bool backwards,
                                         std::vector<double>& within) {
    const std::size_t m = values.size();
    m_count_tree.assign(m + 1, 0.0);
    m_sum_tree.assign(m + 1, 0.0);
    within.assign(m + 1, 0.0);
    double inserted_sum = 0;
    for (std::size_t step = 0; step < m; ++step) {
        const std::size_t i = backwards ? m - 1 - step : step;
        const double z = values[i];
        const double count_below = fenwick_prefix(m_count_tree, ranks[i]);
        const double sum_below = fenwick_prefix(m_sum_tree, ranks[i]);
        const double count_above = static_cast<double>(step) - count_below;
        const double sum_above = inserted_sum - sum_below;
        const double distances = (count_below * z - sum_below) + (sum_above - count_above * z);
        const std::size_t from = backwards ? i + 1 : i;  // the t whose sum lacks z
        const std::size_t to = backwards ? i : i + 1;
        within[to] = within[from] + distances;
        fenwick_add(m_count_tree, ranks[i], 1.0);
        fenwick_add(m_sum_tree, ranks[i], z);
        inserted_sum += z;
    }
}

void EnergySplitScan::scan(std::span<const double> values, std::span<const std::uint32_t> ranks) {
    const std::size_t m = values.size();
    prefix_within_sums(values, ranks, false, m_within_before);
    prefix_within_sums(values, ranks, true, m_within_after);
    const double all_pairs = m_within_before[m];
    m_q.assign(m, 0.0);
    for (std::size_t tau = 1; tau < m; ++tau) {
        const double n = static_cast<double>(tau);
        const double k = static_cast<double>(m - tau);
        const double between = all_pairs - m_within_before[tau] - m_within_after[tau];
        const double within_x = n > 1 ? m_within_before[tau] / (n * (n - 1) / 2) : 0.0;
        const double within_y = k > 1 ? m_within_after[tau] / (k * (k - 1) / 2) : 0.0;
        const double energy = 2 * between / (n * k) - within_x - within_y;
        m_q[tau] = n * k / (n + k) * energy;
    }
}

EnergySplit EnergySplitScan::best(std::size_t min_segment) const {
    EnergySplit split;
    const std::size_t m = m_q.size();
    const std::size_t smallest = std::max<std::size_t>(min_segment, 1);
    if (m < 2 * smallest)
        return split;
    for (std::size_t tau = smallest; tau + smallest <= m; ++tau) {
        if (split.index == 0 || m_q[tau] > split.q) {
            split.index = tau;
            split.q = m_q[tau];
        }
    }
    return split;
}

}  // namespace benchctl
