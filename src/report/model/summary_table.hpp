#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/model/run_report.hpp"

namespace benchctl {

// What a column of the summary table shows.
enum class ColumnKind { axis, cell_id, repetition, status, metric, relative_speed };

// A column of the summary table. Numeric columns are right-aligned by renderers.
struct SummaryColumn {
    ColumnKind kind = ColumnKind::axis;
    std::string header;
    bool numeric = false;
    std::optional<Metric> metric;  // ColumnKind::metric: which
};

// One row of the summary table: one cell (and repetition).
struct SummaryRow {
    const CellReport* cell = nullptr;
    // requests/sec over the best of its comparison group's (relative_speeds); absent without
    // metrics or when no row of the group completed any.
    std::optional<double> relative_speed;
    // Formatted for people, one per column, unescaped (renderers escape for their syntax). A
    // figure the cell's files do not hold is k_not_measured, never a zero.
    std::vector<std::string> texts;
};

// The summary table every human-readable report starts with: the axes (value labels), then
// status ("done (suspect)" when a warning of severity suspect stands against the cell), the
// figures of k_summary_metrics (headed by their labels), the services' CPU per 1k requests when
// some cell has services, and speed relative to the fastest row of its comparison group. A "cell"
// column (the id) stands for the axes when the run has none; a "rep" column follows them when
// cells were repeated.
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

// Builds the table for `cells` (in the order given, usually ordered_cells()); `axes` names the
// axis columns in order. Pointers in the rows refer to the cells given.
SummaryTable build_summary_table(const std::vector<const CellReport*>& cells,
                                 const std::vector<std::string>& axes, unsigned repeat);

// requests/sec of each cell over the fastest one's of its comparison group, in `cells` order. A
// group is the rows that differ only in the first axis of `axes` (the grouping order): with
// axes server, endpoint, mode, the servers are compared for each endpoint and mode, never one
// endpoint with another. With fewer than two axes every row is in one group. Absent for cells
// without metrics, and for a whole group when none of it has a positive rate.
std::vector<std::optional<double>> relative_speeds(const std::vector<const CellReport*>& cells,
                                                   const std::vector<std::string>& axes);

// The status column's text: the entry status, with " (suspect)" when is_suspect(cell).
std::string status_text(const CellReport& cell);

}  // namespace benchctl
