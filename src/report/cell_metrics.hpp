#pragma once

#include <optional>

#include "launch/resource_sampler.hpp"
#include "report/run_report.hpp"
#include "results/load_document.hpp"

namespace benchctl {

// The figures a report shows for one cell, from its load document's counts and summary and, when
// the cell has them, its sampled resources: the same whichever report format shows them.
CellMetrics compute_cell_metrics(const LoadDocument& load,
                                 const std::optional<ResourceUsage>& resources);

}  // namespace benchctl
