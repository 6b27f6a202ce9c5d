#include "results/threshold_evaluation.hpp"

#include <algorithm>

#include "results/load_document.hpp"
#include "util/json_field.hpp"

namespace benchctl {

std::vector<ThresholdResult> evaluate_thresholds(const std::vector<Threshold>& thresholds,
                                                 const CellMetrics& metrics) {
    std::vector<ThresholdResult> results;
    for (const Threshold& threshold : thresholds) {
        const std::optional<double> value = metrics.number(threshold.metric);
        results.push_back({threshold.key, threshold.expression, value,
                           value.has_value() && threshold_holds(threshold, *value)});
    }
    return results;
}

std::vector<ThresholdResult> evaluate_thresholds(const std::vector<Threshold>& thresholds,
                                                 const CellRecord& record) {
    if (thresholds.empty() || !record.load)
        return {};
    const LoadDocument load = from_load_document(
        JsonField(*record.load, record.cell_id, "the cell's load document is damaged", "load"));
    return evaluate_thresholds(thresholds, compute_cell_metrics(load, record.resources));
}

std::size_t failed_thresholds(const std::vector<ThresholdResult>& results) {
    return static_cast<std::size_t>(std::count_if(
        results.begin(), results.end(), [](const ThresholdResult& r) { return !r.passed; }));
}

}  // namespace benchctl
