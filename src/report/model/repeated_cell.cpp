#include "report/model/repeated_cell.hpp"

#include <fmt/format.h>

#include <map>

namespace benchctl {

namespace {

constexpr std::size_t index_of(Metric metric) {
    return static_cast<std::size_t>(metric);
}

bool measured(const CellReport& cell) {
    return cell.status == EntryStatus::done && cell.metrics.has_value();
}

void add_repetition(RepeatedCell& group, const CellReport& cell) {
    group.repetitions.push_back(&cell);
    if (cell.status != EntryStatus::done && group.status == EntryStatus::done)
        group.status = cell.status;
    if (!measured(cell))
        return;
    ++group.measured;
    for (const MetricDescriptor& descriptor : metric_descriptors()) {
        if (const std::optional<double> value = cell.metrics->number(descriptor.metric))
            group.samples[index_of(descriptor.metric)].push_back(*value);
    }
}

void summarise(RepeatedCell& group) {
    for (const MetricDescriptor& descriptor : metric_descriptors()) {
        const std::vector<double>& values = group.samples[index_of(descriptor.metric)];
        if (values.empty())
            continue;
        const RepetitionSummary summary = summarize_repetitions(values);
        group.statistics[index_of(descriptor.metric)] = summary;
        group.medians.set(descriptor.metric, summary.median);
    }
}

}  // namespace

std::string format_cv(double fraction) {
    return fmt::format("{:.1f}%", fraction * 100.0);
}

std::optional<CellWarning> noise_warning(const RepeatedCell& cell, double noise_limit) {
    if (cell.measured < 2)
        return std::nullopt;
    std::vector<std::string> figures;
    for (const Metric metric : k_noise_metrics) {
        const std::optional<RepetitionSummary>& summary = cell.statistics_of(metric);
        if (summary && summary->cv && *summary->cv > noise_limit)
            figures.push_back(fmt::format("{}{} by {}", describe(metric).label,
                                          figures.empty() ? " varies" : "",
                                          format_cv(*summary->cv)));
    }
    if (figures.empty())
        return std::nullopt;
    return CellWarning{
        "noisy", WarningSeverity::suspect,
        fmt::format("{} (coefficient of variation) over {} repetitions, above the noise limit of "
                    "{}: the median may be off; look for other load on the machine, pin CPUs, run "
                    "longer or repeat more",
                    fmt::join(figures, " and "), cell.measured, format_cv(noise_limit))};
}

std::vector<RepeatedCell> group_repetitions(const std::vector<const CellReport*>& cells,
                                            double noise_limit) {
    std::vector<RepeatedCell> groups;
    std::map<std::string, std::size_t> index;
    for (const CellReport* cell : cells) {
        auto [at, added] = index.emplace(cell->cell_id, groups.size());
        if (added) {
            groups.emplace_back();
            groups.back().cell_id = cell->cell_id;
        }
        add_repetition(groups[at->second], *cell);
    }
    for (RepeatedCell& group : groups) {
        summarise(group);
        if (std::optional<CellWarning> noisy = noise_warning(group, noise_limit))
            group.warnings.push_back(std::move(*noisy));
    }
    return groups;
}

}  // namespace benchctl
