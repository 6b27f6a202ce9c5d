#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "stats/e_divisive.hpp"

namespace benchctl {

// Which way a metric improves: requests/sec when higher, latencies, CPU and memory when lower.
enum class BetterWhen { higher, lower };

// Settings of the nightly gate. The defaults are those bench/changepoints measured
// (bench/README.md): see docs/statistics.md for the trade-offs.
struct GateOptions {
    ChangePointOptions detection;
    // A change point is "new" while the segment after it holds at most this many points: the gate
    // flags a regression from the night it becomes significant until it is that many nights old,
    // then lets it be (an old regression is the trend report's business, not the nightly gate's).
    // A change that becomes significant only later is never flagged.
    std::size_t recent_points = 14;
    // Significant changes smaller than this (relative change of the medians, 0.01 = 1 %) are not
    // flagged; 0 flags every significant regression.
    double min_relative_change = 0;
    // Nights in a row the regression must be flagged: with 2, the series without its newest point
    // must have flagged it too (a change point that the next night's data dissolves is dropped,
    // at the cost of one night of delay). 1 flags on the first night.
    std::size_t confirmations = 1;
};

struct GateVerdict {
    bool regression = false;
    // The newest change point of the series, flagged or not; absent when there is none.
    std::optional<ChangePoint> newest_change;
    std::vector<ChangePoint> change_points;  // all of them, in index order
};

// The nightly gate of `history check`: runs E-Divisive (detect_change_points) on a cell's series
// of per-run medians, oldest first, and flags a regression when the newest change point starts
// the last segment, that segment holds at most `recent_points` points, and the change goes the
// wrong way by at least `min_relative_change` -- and, with `confirmations` k > 1, when the same
// holds for the series without its newest 1, ..., k - 1 points. Pure; throws
// std::invalid_argument on options that detect_change_points refuses or confirmations of 0.
GateVerdict check_newest_change(std::span<const double> medians, BetterWhen better,
                                const GateOptions& options = {});

}  // namespace benchctl
