#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "metrics/metric.hpp"
#include "results/cell_record.hpp"
#include "results/load_document.hpp"

namespace benchctl {

// The figures a report shows of one cell, one per Metric, each absent when the cell's files do
// not hold what it is computed from (never a zero in its place): the same whichever report
// format shows them.
class CellMetrics {
  public:
    // The value of `metric`, or nullopt.
    const std::optional<MetricValue>& operator[](Metric metric) const {
        return m_values[static_cast<std::size_t>(metric)];
    }
    // The value as a number, or nullopt.
    std::optional<double> number(Metric metric) const;
    // A count that every cell with metrics has (requests_completed, non_2xx_3xx ...); 0 if absent.
    std::uint64_t count(Metric metric) const;

    void set(Metric metric, MetricValue value) {
        m_values[static_cast<std::size_t>(metric)] = value;
    }

  private:
    std::array<std::optional<MetricValue>, k_metric_count> m_values;
};

// The metrics of one cell from its load document's counts and summary and, when the cell has
// them, its sampled resources and its services' (summed over the services; absent without any).
// Latency figures are present when the summary has them and they summarise at least one
// request; the per-1k figures need a completed request.
CellMetrics compute_cell_metrics(const LoadDocument& load,
                                 const std::optional<ResourceUsage>& resources,
                                 const std::vector<ServiceUsage>& services = {},
                                 const std::vector<ServiceUsage>& companions = {});

// The figures of one named request of a cell (a mix entry or a sequence step).
struct RequestMetrics {
    std::string name;
    CellMetrics metrics;  // counts, non-2xx/3xx, requests/sec over the cell's duration, latency;
                          // no bytes and no resources (not kept per request)
    std::map<int, std::uint64_t> status_codes;
};

// The figures of each named request of the cell, in the model's order; empty for a cell that
// sent one request (or a document written before benchctl.load/2).
std::vector<RequestMetrics> compute_request_metrics(const LoadDocument& load);

}  // namespace benchctl
