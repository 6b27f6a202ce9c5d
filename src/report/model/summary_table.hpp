#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/model/repeated_cell.hpp"
#include "report/model/run_report.hpp"
#include "results/cell_warning.hpp"

namespace benchctl {

// What a column of the summary table shows.
enum class ColumnKind {
    axis,
    cell_id,
    repetition,   // per-repetition rows: the repetition's number
    repetitions,  // one row per repeated cell: measured / planned repetitions, "5/5"
    status,
    metric,
    spread_cv,  // one row per repeated cell: the CV of requests/sec
    spread_ci,  // one row per repeated cell: the 95 % CI of requests/sec's median
    relative_speed,
    thresholds,  // "passed", "1 of 3 failed"; only when some row has thresholds
    warnings,    // the codes of the row's warnings ("noisy"); only when some row has one
};

// A column of the summary table. Numeric columns are right-aligned by renderers.
struct SummaryColumn {
    ColumnKind kind = ColumnKind::axis;
    std::string header;
    bool numeric = false;
    std::optional<Metric> metric;  // ColumnKind::metric: which
};

// One row of the summary table: one cell and repetition, or one repeated cell.
struct SummaryRow {
    // The row's cell: the repetition it shows, or a repeated cell's first repetition (its id,
    // parameters and labels).
    const CellReport* cell = nullptr;
    // One row per repeated cell: its repetitions, whose medians the row shows.
    const RepeatedCell* repeated = nullptr;
    // requests/sec over the best of its comparison group's (relative_speeds); absent without
    // metrics or when no row of the group completed any.
    std::optional<double> relative_speed;
    // Formatted for people, one per column, unescaped (renderers escape for their syntax). A
    // figure the cell's files do not hold is k_not_measured, never a zero.
    std::vector<std::string> texts;
    // Why not to trust the row's figures, in the order found; every format shows them all: the
    // runner's (recorded in the cell document; for a repeated cell each repetition's, its number
    // in the message) and those the report computes ("noisy").
    std::vector<CellWarning> warnings;

    // The figures the row shows: the repetition's, or the repeated cell's medians; nullptr when
    // there are none.
    const CellMetrics* metrics() const;
    // The row's status: the repetition's, or the repeated cell's.
    EntryStatus status() const;
};

// One threshold verdict of a row, with the repetition it was judged on.
struct RowThreshold {
    unsigned repetition = 1;
    const ThresholdResult* result = nullptr;
};

// The threshold verdicts of a row: its repetition's, or every repetition's of a repeated cell,
// in repetition order.
std::vector<RowThreshold> row_thresholds(const SummaryRow& row);

// The summary table every human-readable report starts with: the axes (value labels), then
// status ("done (suspect)" when a warning of severity suspect stands against the row), the
// figures of k_summary_metrics (headed by their labels), the services' CPU per 1k requests when
// some cell has services, and speed relative to the fastest row of its comparison group (see
// relative_speeds). A "cell" column
// (the id) stands for the axes when the run has none; a "rep" column follows them when cells were
// repeated and are shown per repetition. Shown per repeated cell, each row holds the medians,
// with "reps" after the axes and requests/sec's CV and 95 % CI after it. A "thresholds" column
// follows when some row has thresholds, and a "warnings" column ends the table when some row has
// a warning.
struct SummaryTable {
    std::vector<SummaryColumn> columns;
    std::vector<SummaryRow> rows;
};

inline constexpr const char* k_not_measured = "—";

// The figures of the summary table, in column order.
inline constexpr Metric k_summary_metrics[] = {Metric::requests_per_sec, Metric::latency_p50_ms,
                                               Metric::latency_p99_ms,   Metric::requests_failed,
                                               Metric::non_2xx_3xx,      Metric::cpu_seconds_per_1k,
                                               Metric::peak_rss_bytes};

// Builds the table for `cells` (in the order given, usually ordered_cells()), one row per cell
// and repetition; `axes` names the axis columns in order. Pointers in the rows refer to the
// cells given.
SummaryTable build_summary_table(const std::vector<const CellReport*>& cells,
                                 const std::vector<std::string>& axes, unsigned repeat);

// Builds the table with one row per repeated cell (group_repetitions), showing medians. Pointers
// in the rows refer to `cells` and the reports they point to.
SummaryTable build_repeated_summary_table(const std::vector<RepeatedCell>& cells,
                                          const std::vector<std::string>& axes);

// requests/sec of each cell over the fastest one's of its comparison group, in `cells` order. A
// group is the rows that differ only in the first axis of `axes` (the grouping order): with
// axes server, endpoint, mode, the servers are compared for each endpoint and mode, never one
// endpoint with another. With fewer than two axes every row is in one group. Absent for cells
// without metrics, and for a whole group when none of it has a positive rate.
std::vector<std::optional<double>> relative_speeds(const std::vector<const CellReport*>& cells,
                                                   const std::vector<std::string>& axes);

// The status column's text: the entry status, with " (suspect)" when is_suspect(cell).
std::string status_text(const CellReport& cell);

// "4,350.10 – 4,420.55": a median's 95 % confidence interval with the figure's format, or
// k_not_measured when there is none (fewer than 6 repetitions).
std::string format_interval(Metric metric, const std::optional<MedianInterval>& interval);

}  // namespace benchctl
