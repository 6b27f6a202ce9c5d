#pragma once

#include <optional>

#include "launch/resource_sampler.hpp"
#include "report/run_report.hpp"
#include "results/load_document.hpp"

namespace benchctl {

// The figures a report shows for one cell, computed from its load document and, when the cell
// has them, its sampled resources. Latency figures come from the serialized histogram, so they
// are the same whichever report format shows them; an imported document (`benchctl import`) has
// none, and its figures (latency, requests/sec, non-2xx/3xx) are the ones its source recorded.
CellMetrics compute_cell_metrics(const LoadDocument& load,
                                 const std::optional<ResourceUsage>& resources);

}  // namespace benchctl
