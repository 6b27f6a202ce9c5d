#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "compare/sample_set.hpp"
#include "stats/mann_whitney.hpp"

namespace benchctl {

// What `compare` says of one figure of one cell, and of the cell as a whole.
enum class Verdict {
    unchanged,  // within the threshold (whatever the test says)
    faster,     // better beyond the threshold, and significant (or weak: threshold alone)
    slower,     // worse beyond the threshold, and significant (or weak: threshold alone)
    noisy,      // beyond the threshold, but the repetitions are too spread to tell
    failed,     // a side has no measurement, or NEW has failed repetitions
};

// "unchanged", "faster", "slower", "noisy", "failed".
const char* verdict_name(Verdict verdict);

// How `compare` judges (docs/compare.md).
struct CompareOptions {
    // The figures compared, each judged in the direction describe(metric).better says.
    std::vector<Metric> metrics = {Metric::requests_per_sec, Metric::latency_p50_ms,
                                   Metric::latency_p99_ms};
    double alpha = 0.01;      // the U test's p-value must be below this (--alpha)
    double threshold = 0.05;  // and the medians must differ by more than this (--threshold)
    // Repetitions each side needs for the U test: at 5 vs 5 the smallest two-sided p-value is
    // 2 / C(10, 5) = 0.0079, the first below alpha 0.01. Below it, only the threshold judges.
    std::size_t min_repetitions = 5;
};

// The comparison of one figure of one cell.
struct MetricComparison {
    Metric metric = Metric::requests_per_sec;
    std::vector<double> base_samples;
    std::vector<double> new_samples;
    std::optional<double> base_median;
    std::optional<double> new_median;
    // NEW / BASE medians; absent when a side has no value or BASE's median is 0 while NEW's is
    // not (then `change` is +/- infinity).
    std::optional<double> ratio;
    // ratio - 1 as a fraction (-0.17 = 17 % lower); 0 when both medians are 0.
    std::optional<double> change;
    std::optional<MannWhitneyResult> test;  // when both sides have min_repetitions
    bool weak = false;  // judged by the threshold alone: too few repetitions for the test
    Verdict verdict = Verdict::unchanged;
    bool new_failed = false;  // a failed verdict that NEW is to blame for
    std::string reason;       // for failed and noisy: why, for people
};

// One cell found on both sides.
struct CellComparison {
    std::string cell_id;
    std::vector<MetricComparison> metrics;  // in CompareOptions::metrics order
    // The worst of its figures': failed, then slower, noisy, faster, unchanged.
    Verdict verdict = Verdict::unchanged;
};

// A whole comparison: cells matched by id, and what did not match.
struct Comparison {
    CompareOptions options;
    std::vector<CellComparison> cells;  // cells on both sides, in NEW's order
    std::vector<std::string> only_base;
    std::vector<std::string> only_new;
    // "cpu_model: 'A' (BASE) vs 'B' (NEW)": each machine field that differs; a warning in every
    // format, since a change may then be the machine's rather than the code's.
    std::vector<std::string> machine_differences;

    // A significant regression: some figure slower, or failed because of NEW.
    bool regression() const;
    // How many cells have `verdict`.
    std::size_t count(Verdict verdict) const;
};

// Compares every figure of `options.metrics` of every cell on both sides:
//   - a side without values, or failed repetitions in NEW: failed;
//   - |change| <= threshold: unchanged;
//   - both sides >= min_repetitions: the Mann-Whitney U test (exact for small samples without
//     ties): p < alpha gives faster or slower by the figure's direction, else noisy;
//   - fewer repetitions (weak): noisy when both sides have two or more values and their ranges
//     overlap, else faster or slower by the threshold alone.
// Throws UserError naming --metric for a figure without a better direction.
Comparison compare_samples(const SampleSet& base, const SampleSet& next,
                           const CompareOptions& options);

// "requests_per_sec,p99" -> the metrics, each checked: known (by name or short name, with "did
// you mean") and with a better direction. Throws UserError naming --metric.
std::vector<Metric> parse_metric_list(const std::string& text);

}  // namespace benchctl
