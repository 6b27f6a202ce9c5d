#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "report/model/run_report.hpp"
#include "results/cell_warning.hpp"
#include "stats/repetition_summary.hpp"

namespace benchctl {

// The figures whose repetitions reports summarise (median, min, max, 95 % CI of the median, CV)
// in their "Repetitions" section and that CSV and JSON give statistics for.
inline constexpr Metric k_repetition_metrics[] = {
    Metric::requests_per_sec, Metric::latency_p50_ms,     Metric::latency_p90_ms,
    Metric::latency_p99_ms,   Metric::cpu_seconds_per_1k, Metric::peak_rss_bytes,
    Metric::requests_failed};

// The figures whose coefficient of variation makes a repeated cell "noisy": the cell's central
// figures. Tail latencies (p99) vary more by nature and would flag nearly every cell.
inline constexpr Metric k_noise_metrics[] = {Metric::requests_per_sec, Metric::latency_p50_ms};

// A CV above this (5 %) flags a cell as noisy unless `report --noise-limit` says otherwise.
inline constexpr double k_default_noise_limit = 0.05;

// Every repetition of one cell seen as one sample per figure: what a report shows in one row
// when cells were repeated, and what `compare` and `history add` read.
struct RepeatedCell {
    std::string cell_id;
    // Every planned repetition, in repetition order; never empty. The first gives the row its id,
    // parameters and labels.
    std::vector<const CellReport*> repetitions;
    // The repetitions that count: status done, with metrics.
    std::size_t measured = 0;
    // done when every repetition is; otherwise the status of the first that is not (failed,
    // interrupted or pending), which the row shows.
    EntryStatus status = EntryStatus::done;
    // Per Metric (index = the enum's value): the measured repetitions' values, in repetition
    // order, and their summary (absent without a value).
    std::array<std::vector<double>, k_metric_count> samples;
    std::array<std::optional<RepetitionSummary>, k_metric_count> statistics;
    // Each figure's median, so that the summary table, charts and relative speed read a repeated
    // cell as they read one measurement.
    CellMetrics medians;
    // Reasons not to trust the medians found across repetitions: "noisy" (one warning naming
    // each figure of k_noise_metrics whose CV exceeds the noise limit, with its CV).
    std::vector<CellWarning> warnings;

    const std::vector<double>& samples_of(Metric metric) const {
        return samples[static_cast<std::size_t>(metric)];
    }
    const std::optional<RepetitionSummary>& statistics_of(Metric metric) const {
        return statistics[static_cast<std::size_t>(metric)];
    }
};

// The cells of `cells` (in report order, a cell's repetitions together, as ordered_cells gives
// them) grouped by id, in order of first appearance. `noise_limit` is the CV (0.05 = 5 %) above
// which a cell measured at least twice is flagged "noisy". Pointers refer into the cells given.
std::vector<RepeatedCell> group_repetitions(const std::vector<const CellReport*>& cells,
                                            double noise_limit);

// The "noisy" warning of a cell whose figures of k_noise_metrics vary more than `noise_limit`
// (CV, as a fraction) over its measured repetitions; nullopt when none does or fewer than two
// were measured.
std::optional<CellWarning> noise_warning(const RepeatedCell& cell, double noise_limit);

// "7.3%": a CV or other fraction for people, one decimal.
std::string format_cv(double fraction);

}  // namespace benchctl
