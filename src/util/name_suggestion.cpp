#include "util/name_suggestion.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace benchctl {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Rows i-2, i-1 and i of the dynamic-programming table.
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                current[j] = std::min(current[j], before[j - 2] + 1);
            }
        }
        before.swap(previous);
        previous.swap(current);
    }
    return previous[b.size()];
}

std::optional<std::string> closest_name(std::string_view name,
                                        const std::vector<std::string>& candidates,
                                        std::optional<std::size_t> max_distance) {
    std::size_t limit = max_distance.value_or(std::max<std::size_t>(2, name.size() / 3));
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const std::string& candidate : candidates) {
        // Each edit changes the length by one at most: skip the table for names too far apart.
        std::size_t length_gap =
            std::max(name.size(), candidate.size()) - std::min(name.size(), candidate.size());
        if (length_gap >= best_distance)
            continue;
        std::size_t distance = edit_distance(name, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

std::string unknown_name_hint(std::string_view name, const std::vector<std::string>& candidates,
                              std::string_view noun) {
    if (auto best = closest_name(name, candidates))
        return fmt::format("did you mean '{}'?", *best);
    if (candidates.empty())
        return "";
    return fmt::format("{}: {}", noun, fmt::join(candidates, ", "));
}

}  // namespace benchctl
