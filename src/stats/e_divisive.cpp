#include "stats/e_divisive.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "stats/energy_split.hpp"
#include "stats/portable_random.hpp"
#include "stats/repetition_summary.hpp"

namespace benchctl {
namespace {

struct RankedValue {
    double value = 0;
    std::uint32_t rank = 0;
};

// A stretch of the series between two change points, with what the permutations need.
struct Segment {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::vector<RankedValue> points;  // centred values and their ranks, in series order
    EnergySplit best;                 // the best cut of the observed order
};

// Scratch arrays for one scan of a (permuted) segment.
struct ScanBuffers {
    EnergySplitScan scan;
    std::vector<double> values;
    std::vector<std::uint32_t> ranks;

    EnergySplit best_split(std::span<const RankedValue> points, std::size_t min_segment) {
        values.resize(points.size());
        ranks.resize(points.size());
        for (std::size_t i = 0; i < points.size(); ++i) {
            values[i] = points[i].value;
            ranks[i] = points[i].rank;
        }
        scan.scan(values, ranks);
        return scan.best(min_segment);
    }
};

Segment make_segment(std::span<const double> series, std::size_t begin, std::size_t end,
                     const ChangePointOptions& options, ScanBuffers& buffers) {
    Segment segment{begin, end, {}, {}};
    const auto values = series.subspan(begin, end - begin);
    const std::vector<double> scaled = options.scale == ChangePointScale::ranks
                                           ? mid_ranks(values)
                                           : std::vector<double>(values.begin(), values.end());
    // Centring keeps the Fenwick sums (count * z - sum) small next to the distances they yield.
    const double mean =
        std::accumulate(scaled.begin(), scaled.end(), 0.0) / static_cast<double>(scaled.size());
    const std::vector<std::uint32_t> ranks = ascending_ranks(values);
    for (std::size_t i = 0; i < scaled.size(); ++i)
        segment.points.push_back({scaled[i] - mean, ranks[i]});
    segment.best = buffers.best_split(segment.points, options.min_segment);
    return segment;
}

// The permutation count is exact arithmetic on integers; only alpha is a double.
bool significant(std::size_t exceedances, std::size_t permutations, double alpha) {
    const double p = static_cast<double>(exceedances + 1) / static_cast<double>(permutations + 1);
    return p <= alpha * (1 + 1e-12);
}

struct TestOutcome {
    double p_value = 1;
    bool significant = false;
};

// Matteson & James's permutation test of the largest Q, `observed`, conditional on the change
// points found so far: each segment is permuted within itself.
TestOutcome permutation_test(std::vector<Segment>& segments, double observed,
                             const ChangePointOptions& options, PortableRandom& random,
                             ScanBuffers& buffers) {
    std::size_t stop_at = 0;  // exceedances that make p > alpha certain
    while (significant(stop_at, options.permutations, options.alpha))
        ++stop_at;
    // Sums in another order round differently; a permuted maximum equal to the observed one
    // within rounding counts as reaching it (constant series: every Q is 0, p = 1).
    const double reach = observed - 1e-9 * std::fabs(observed);
    std::size_t exceedances = 0;
    for (std::size_t drawn = 1; drawn <= options.permutations; ++drawn) {
        double largest = -std::numeric_limits<double>::infinity();
        for (Segment& segment : segments) {
            if (segment.best.index == 0)
                continue;  // too short to cut: contributes no candidate, as in the observed
            random.shuffle(std::span<RankedValue>(segment.points));
            largest = std::max(largest, buffers.best_split(segment.points, options.min_segment).q);
        }
        if (largest >= reach && ++exceedances == stop_at)
            return {static_cast<double>(exceedances) / static_cast<double>(drawn), false};
    }
    return {static_cast<double>(exceedances + 1) / static_cast<double>(options.permutations + 1),
            significant(exceedances, options.permutations, options.alpha)};
}

void check_options(const ChangePointOptions& options) {
    if (!(options.alpha > 0 && options.alpha < 1))
        throw std::invalid_argument("detect_change_points: alpha must be in (0, 1)");
    if (options.min_segment < 1)
        throw std::invalid_argument("detect_change_points: min_segment must be >= 1");
    if (!significant(0, options.permutations, options.alpha))
        throw std::invalid_argument(
            "detect_change_points: too few permutations for alpha (need R >= 1/alpha - 1)");
}

double mean_of(std::span<const double> values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// Moves each change point to the best cut between its neighbours, until none moves (at most
// `k_refinement_passes` passes). The divisive search places its first cut of a staircase (two
// steps the same way) where the single cut is best, which can be between the steps; once the
// other change points are known, the best cut between the neighbours is the step itself.
void refine_locations(std::span<const double> series, std::vector<ChangePoint>& points,
                      const ChangePointOptions& options, ScanBuffers& buffers) {
    constexpr int k_refinement_passes = 10;
    std::sort(points.begin(), points.end(),
              [](const ChangePoint& a, const ChangePoint& b) { return a.index < b.index; });
    for (int pass = 0; pass < k_refinement_passes; ++pass) {
        bool moved = false;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const std::size_t begin = i == 0 ? 0 : points[i - 1].index;
            const std::size_t end = i + 1 == points.size() ? series.size() : points[i + 1].index;
            const Segment between = make_segment(series, begin, end, options, buffers);
            const std::size_t index = begin + between.best.index;
            if (between.best.index != 0 && index != points[i].index) {
                points[i].index = index;
                points[i].q = between.best.q;
                moved = true;
            }
        }
        if (!moved)
            break;
    }
}

// Fills in the segments on either side of each change point, once all are known.
// `points` must be in index order.
void describe(std::span<const double> series, std::vector<ChangePoint>& points) {
    for (std::size_t i = 0; i < points.size(); ++i) {
        ChangePoint& point = points[i];
        point.before_begin = i == 0 ? 0 : points[i - 1].index;
        point.after_end = i + 1 == points.size() ? series.size() : points[i + 1].index;
        const auto before = series.subspan(point.before_begin, point.index - point.before_begin);
        const auto after = series.subspan(point.index, point.after_end - point.index);
        point.mean_before = mean_of(before);
        point.mean_after = mean_of(after);
        point.median_before = median_of(before);
        point.median_after = median_of(after);
        if (point.median_before != 0)
            point.relative_change = point.median_after / point.median_before - 1;
    }
}

}  // namespace

std::vector<ChangePoint> detect_change_points(std::span<const double> series,
                                              const ChangePointOptions& options) {
    check_options(options);
    std::vector<ChangePoint> found;
    if (series.size() < 2 * options.min_segment)
        return found;
    ScanBuffers buffers;
    PortableRandom random(options.seed);
    std::vector<Segment> segments;
    segments.push_back(make_segment(series, 0, series.size(), options, buffers));

    for (;;) {
        auto candidate = segments.end();
        for (auto it = segments.begin(); it != segments.end(); ++it)
            if (it->best.index != 0 &&
                (candidate == segments.end() || it->best.q > candidate->best.q))
                candidate = it;
        if (candidate == segments.end())
            break;
        const std::size_t begin = candidate->begin;
        const std::size_t cut = candidate->begin + candidate->best.index;
        const std::size_t end = candidate->end;
        const double q = candidate->best.q;
        // The test shuffles the segments' points; the observed order is rebuilt below from the
        // series for the two halves of the one that is cut, and not needed for the others.
        const TestOutcome outcome = permutation_test(segments, q, options, random, buffers);
        if (!outcome.significant)
            break;
        ChangePoint point;
        point.index = cut;
        point.p_value = outcome.p_value;
        point.q = q;
        found.push_back(point);
        segments.erase(std::find_if(segments.begin(), segments.end(),
                                    [&](const Segment& s) { return s.begin == begin; }));
        segments.push_back(make_segment(series, begin, cut, options, buffers));
        segments.push_back(make_segment(series, cut, end, options, buffers));
    }
    refine_locations(series, found, options, buffers);
    describe(series, found);
    return found;
}

}  // namespace benchctl
