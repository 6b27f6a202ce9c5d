#pragma once

#include <string>
#include <string_view>

#include "metrics/metric.hpp"

namespace benchctl {

// The comparison of a threshold, as k6 writes it.
enum class ThresholdOperator { less, less_equal, greater, greater_equal, equal, not_equal };

// "<", "<=", ">", ">=", "==", "!=".
const char* operator_text(ThresholdOperator op);

// A bound on one metric of a cell, written in a matrix file as `p99: "< 250ms"` (thresholds:,
// docs/matrix.md): the cell passes when `value op bound` holds for its measured value.
struct Threshold {
    std::string key;  // the metric as written: "p99", "requests_per_sec"
    Metric metric = Metric::requests_per_sec;
    std::string expression;  // as written: "< 250ms"
    ThresholdOperator op = ThresholdOperator::less;
    double bound = 0;  // in the metric's unit (describe(metric).unit): 250 for "< 250ms" on p99

    bool operator==(const Threshold&) const = default;
};

// Reads `text` ("< 250ms", ">= 1k", "== 0", "< 1%") as a bound on `metric`: an operator, a
// non-negative number and a unit that fits the metric, converted into the metric's unit.
// Units: latencies (ms) take us, ms, s or none (ms); durations (s) take us, ms, s, m or none (s);
// bytes take B, KB, MB, GB (powers of 1000), KiB, MiB, GiB or none; ratios take % or none (a
// fraction); counts and rates take k, M, G (powers of 1000) or none. Throws UserError (no
// `where`: the caller knows the location) saying what is wrong and what to write.
Threshold parse_threshold(std::string_view key, Metric metric, std::string_view text);

// Whether `value` meets the threshold.
bool threshold_holds(const Threshold& threshold, double value);

}  // namespace benchctl
