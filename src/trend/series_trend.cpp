#include "trend/series_trend.hpp"

#include <fmt/format.h>

#include "compare/comparison.hpp"

namespace benchctl {

BetterWhen better_when(Metric metric) {
    return describe(metric).better == Better::higher ? BetterWhen::higher : BetterWhen::lower;
}

std::vector<SeriesTrend> read_trends(const HistoryStore& store, const TrendQuery& query,
                                     const GateOptions& options) {
    std::vector<SeriesTrend> trends;
    for (const Metric metric : query.metrics) {
        for (Series& series : store.series({query.cell_glob, describe(metric).name})) {
            const std::vector<double> medians = series.medians();
            GateVerdict gate = check_newest_change(medians, better_when(metric), options);
            trends.push_back({std::move(series), metric, std::move(gate)});
        }
    }
    std::stable_sort(trends.begin(), trends.end(), [](const SeriesTrend& a, const SeriesTrend& b) {
        return a.series.cell_id < b.series.cell_id;
    });
    return trends;
}

std::string point_name(const SeriesPoint& point) {
    const auto commit = point.labels.find("commit");
    if (commit != point.labels.end() && !commit->second.empty())
        return commit->second.substr(0, 12);
    return point.run_id;
}

std::string change_location(const Series& series, std::size_t index) {
    const SeriesPoint& before = series.points[index - 1];
    const SeriesPoint& after = series.points[index];
    const auto named = [](const SeriesPoint& point) {
        const std::string name = point_name(point);
        return name == point.run_id ? name : fmt::format("{} (run {})", name, point.run_id);
    };
    return fmt::format("between {} and {}", named(before), named(after));
}

std::vector<Metric> parse_history_metrics(const std::string& text) {
    if (text != "*")
        return parse_metric_list(text);
    std::vector<Metric> metrics;
    for (const MetricDescriptor& descriptor : metric_descriptors()) {
        if (descriptor.better != Better::neither)
            metrics.push_back(descriptor.metric);
    }
    return metrics;
}

}  // namespace benchctl
