#include "history/regression_gate.hpp"

#include <cmath>
#include <stdexcept>

namespace benchctl {
namespace {

bool is_regression(const ChangePoint& change, BetterWhen better, double min_relative_change) {
    if (!change.relative_change)
        return false;  // a median of 0 before: no ratio to judge by
    const double relative = *change.relative_change;
    const bool worse = better == BetterWhen::higher ? relative < 0 : relative > 0;
    return worse && std::fabs(relative) >= min_relative_change;
}

GateVerdict check_one_night(std::span<const double> medians, BetterWhen better,
                            const GateOptions& options) {
    GateVerdict verdict;
    verdict.change_points = detect_change_points(medians, options.detection);
    if (verdict.change_points.empty())
        return verdict;
    verdict.newest_change = verdict.change_points.back();
    const std::size_t points_after = medians.size() - verdict.newest_change->index;
    verdict.regression = points_after <= options.recent_points &&
                         is_regression(*verdict.newest_change, better, options.min_relative_change);
    return verdict;
}

}  // namespace

GateVerdict check_newest_change(std::span<const double> medians, BetterWhen better,
                                const GateOptions& options) {
    if (options.confirmations < 1)
        throw std::invalid_argument("check_newest_change: confirmations must be >= 1");
    GateVerdict verdict = check_one_night(medians, better, options);
    for (std::size_t back = 1; back < options.confirmations && verdict.regression; ++back) {
        if (back >= medians.size()) {
            verdict.regression = false;
            break;
        }
        const auto earlier = medians.first(medians.size() - back);
        verdict.regression = check_one_night(earlier, better, options).regression;
    }
    return verdict;
}

}  // namespace benchctl
