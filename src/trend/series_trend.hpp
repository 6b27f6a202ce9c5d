#pragma once

#include <optional>
#include <string>
#include <vector>

#include "history/history_store.hpp"
#include "history/regression_gate.hpp"
#include "metrics/metric.hpp"

namespace benchctl {

// One cell's series of one figure with what the history commands find in it.
struct SeriesTrend {
    Series series;  // oldest run first
    Metric metric = Metric::requests_per_sec;
    // The change points of the series' medians and the nightly gate's verdict on them
    // (check_newest_change, in the figure's direction).
    GateVerdict gate;
};

// Which series the history commands read: cells by glob, figures by name.
struct TrendQuery {
    std::string cell_glob = "*";
    // The figures (default: requests/sec, p50 and p99, what compare judges by default).
    std::vector<Metric> metrics = {Metric::requests_per_sec, Metric::latency_p50_ms,
                                   Metric::latency_p99_ms};
};

// Every series of `store` that `query` selects, ordered by cell id and then in query.metrics
// order, each analysed with `options` (E-Divisive change points and the gate).
std::vector<SeriesTrend> read_trends(const HistoryStore& store, const TrendQuery& query,
                                     const GateOptions& options = {});

// What a run is called next to a change: its "commit" label (shortened to 12 characters), else
// its run id.
std::string point_name(const SeriesPoint& point);

// "between abc123 (run A) and def456 (run B)": the last run before a change point at `index`
// and the first after it, named by their commits where labelled.
std::string change_location(const Series& series, std::size_t index);

// A metric's sense for the gate: up is a regression for latencies, down for rates.
BetterWhen better_when(Metric metric);

// "requests_per_sec,p99" or "*" (every figure with a better direction) for --metric of the
// history commands. Throws UserError naming --metric.
std::vector<Metric> parse_history_metrics(const std::string& text);

}  // namespace benchctl
