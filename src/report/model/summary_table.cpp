#include "report/model/summary_table.hpp"

#include <algorithm>
#include <map>

#include "report/model/cell_grouping.hpp"
#include "util/number_format.hpp"

namespace benchctl {

namespace {

// A run with services (or companions) shows their CPU per 1k requests too; one without has no
// column of dashes.
bool has_metric(const std::vector<const CellReport*>& cells, Metric metric) {
    return std::any_of(cells.begin(), cells.end(), [metric](const CellReport* cell) {
        return cell->metrics && cell->metrics->number(metric);
    });
}

// The per-1k CPU columns of the services and companions the cells have (with companions, the
// target's and theirs together too).
std::vector<Metric> usage_columns(const std::vector<const CellReport*>& cells) {
    std::vector<Metric> metrics;
    if (has_metric(cells, Metric::companions_cpu_seconds)) {
        metrics.push_back(Metric::companions_cpu_seconds_per_1k);
        metrics.push_back(Metric::total_cpu_seconds_per_1k);
    }
    if (has_metric(cells, Metric::services_cpu_seconds))
        metrics.push_back(Metric::services_cpu_seconds_per_1k);
    return metrics;
}

std::vector<SummaryColumn> columns_for(const std::vector<std::string>& axes,
                                       std::vector<ColumnKind> after_axes,
                                       std::vector<ColumnKind> after_rate,
                                       const std::vector<Metric>& usage) {
    std::vector<SummaryColumn> columns;
    for (const std::string& axis : axes)
        columns.push_back({ColumnKind::axis, axis, false, std::nullopt});
    if (axes.empty())
        columns.push_back({ColumnKind::cell_id, "cell", false, std::nullopt});
    for (const ColumnKind kind : after_axes) {
        const bool repetition = kind == ColumnKind::repetition;
        columns.push_back({kind, repetition ? "rep" : "reps", true, std::nullopt});
    }
    columns.push_back({ColumnKind::status, "status", false, std::nullopt});
    for (const Metric metric : k_summary_metrics) {
        columns.push_back({ColumnKind::metric, describe(metric).label, true, metric});
        if (metric != Metric::requests_per_sec)
            continue;
        for (const ColumnKind kind : after_rate) {
            const bool cv = kind == ColumnKind::spread_cv;
            columns.push_back({kind, cv ? "req/s CV" : "req/s 95% CI", true, std::nullopt});
        }
    }
    for (const Metric metric : usage)
        columns.push_back({ColumnKind::metric, describe(metric).label, true, metric});
    columns.push_back({ColumnKind::relative_speed, "relative", true, std::nullopt});
    return columns;
}

std::string spread_text(const SummaryColumn& column, const SummaryRow& row) {
    const std::optional<RepetitionSummary>& rate =
        row.repeated->statistics_of(Metric::requests_per_sec);
    if (!rate)
        return k_not_measured;
    if (column.kind == ColumnKind::spread_cv)
        return rate->cv ? format_cv(*rate->cv) : k_not_measured;
    return format_interval(Metric::requests_per_sec, rate->median_ci);
}

std::string warning_codes(const std::vector<CellWarning>& warnings) {
    std::string codes;
    for (const CellWarning& warning : warnings)
        codes += (codes.empty() ? "" : ", ") + warning.code;
    return codes;
}

std::string thresholds_text(const SummaryRow& row) {
    const std::vector<RowThreshold> verdicts = row_thresholds(row);
    if (verdicts.empty())
        return k_not_measured;
    const auto failed = std::count_if(verdicts.begin(), verdicts.end(),
                                      [](const RowThreshold& v) { return !v.result->passed; });
    if (failed == 0)
        return "passed";
    return std::to_string(failed) + " of " + std::to_string(verdicts.size()) + " failed";
}

// The rows a cell is compared with share the values of every axis but the first.
std::vector<std::string> comparison_group(const CellReport& cell,
                                          const std::vector<std::string>& axes) {
    std::vector<std::string> key;
    for (std::size_t i = 1; i < axes.size(); ++i) {
        const std::string* name = nullptr;
        for (const AxisValue& value : cell.parameters) {
            if (value.axis == axes[i])
                name = &value.name;
        }
        key.push_back(name != nullptr ? *name : "");
    }
    return key;
}

double rate_of(const CellMetrics* figures) {
    return figures != nullptr ? figures->number(Metric::requests_per_sec).value_or(0) : 0;
}

// Each entry's requests/sec over the highest of its group (entries with equal `groups` keys);
// nullptr entries, and every entry of a group without a positive rate, get none.
std::vector<std::optional<double>> grouped_speeds(
    const std::vector<const CellMetrics*>& metrics,
    const std::vector<std::vector<std::string>>& groups) {
    std::map<std::vector<std::string>, double> best;
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        double& group_best = best[groups[i]];
        group_best = std::max(group_best, rate_of(metrics[i]));
    }
    std::vector<std::optional<double>> speeds;
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        const double group_best = best[groups[i]];
        if (metrics[i] != nullptr && group_best > 0)
            speeds.emplace_back(rate_of(metrics[i]) / group_best);
        else
            speeds.emplace_back();
    }
    return speeds;
}

bool has_suspect(const std::vector<CellWarning>& warnings) {
    return std::any_of(warnings.begin(), warnings.end(), [](const CellWarning& warning) {
        return warning.severity == WarningSeverity::suspect;
    });
}

std::string row_status_text(const SummaryRow& row) {
    const std::string text = entry_status_name(row.status());
    return has_suspect(row.warnings) ? text + " (suspect)" : text;
}

// "every repetition", "repetition 2", "repetitions 1, 4".
std::string repetitions_label(const std::vector<unsigned>& numbers, std::size_t total) {
    if (numbers.size() == total && total > 1)
        return "every repetition";
    std::string label = numbers.size() == 1 ? "repetition " : "repetitions ";
    for (std::size_t i = 0; i < numbers.size(); ++i)
        label += (i ? ", " : "") + std::to_string(numbers[i]);
    return label;
}

// A repeated cell's warnings: one per code over its repetitions (suspect if any repetition's
// is), naming the repetitions it stood against and quoting the first one's message, then the
// report's own ("noisy").
std::vector<CellWarning> repeated_warnings(const RepeatedCell& cell) {
    struct Seen {
        CellWarning first;
        std::vector<unsigned> repetitions;
        bool alike = true;
        bool suspect = false;
    };
    std::vector<Seen> seen;
    for (const CellReport* repetition : cell.repetitions) {
        for (const CellWarning& warning : repetition->warnings) {
            auto it = std::find_if(seen.begin(), seen.end(),
                                   [&](const Seen& s) { return s.first.code == warning.code; });
            if (it == seen.end())
                it = seen.insert(seen.end(), Seen{warning, {}, true, false});
            it->repetitions.push_back(repetition->repetition);
            it->alike = it->alike && it->first.message == warning.message;
            it->suspect = it->suspect || warning.severity == WarningSeverity::suspect;
        }
    }
    std::vector<CellWarning> warnings;
    for (const Seen& s : seen) {
        CellWarning warning = s.first;
        const std::string label = repetitions_label(s.repetitions, cell.repetitions.size());
        warning.message = s.alike
                              ? label + ": " + s.first.message
                              : label + "; repetition " + std::to_string(s.repetitions.front()) +
                                    ": " + s.first.message;
        if (s.suspect)
            warning.severity = WarningSeverity::suspect;
        warnings.push_back(std::move(warning));
    }
    warnings.insert(warnings.end(), cell.warnings.begin(), cell.warnings.end());
    return warnings;
}

std::string text_of(const SummaryColumn& column, const SummaryRow& row) {
    const CellReport& cell = *row.cell;
    switch (column.kind) {
        case ColumnKind::axis:
            return axis_label(cell, column.header);
        case ColumnKind::cell_id:
            return cell.cell_id;
        case ColumnKind::repetition:
            return std::to_string(cell.repetition);
        case ColumnKind::repetitions:
            return std::to_string(row.repeated->measured) + "/" +
                   std::to_string(row.repeated->repetitions.size());
        case ColumnKind::status:
            return row_status_text(row);
        case ColumnKind::metric: {
            const CellMetrics* metrics = row.metrics();
            const std::optional<double> value =
                metrics != nullptr ? metrics->number(*column.metric) : std::nullopt;
            return value ? describe(*column.metric).format(*value) : k_not_measured;
        }
        case ColumnKind::spread_cv:
        case ColumnKind::spread_ci:
            return spread_text(column, row);
        case ColumnKind::relative_speed:
            return row.relative_speed ? format_ratio(*row.relative_speed) : k_not_measured;
        case ColumnKind::thresholds:
            return thresholds_text(row);
        case ColumnKind::warnings:
            return warning_codes(row.warnings);
    }
    return k_not_measured;
}

// Fills every row's texts; adds the thresholds and warnings columns first when some row has
// thresholds or a warning. Relative speeds are within each row's comparison group of `axes`.
void fill_texts(SummaryTable& table, const std::vector<std::string>& axes) {
    const bool any_threshold =
        std::any_of(table.rows.begin(), table.rows.end(),
                    [](const SummaryRow& row) { return !row_thresholds(row).empty(); });
    if (any_threshold)
        table.columns.push_back({ColumnKind::thresholds, "thresholds", false, std::nullopt});
    const bool any_warning =
        std::any_of(table.rows.begin(), table.rows.end(),
                    [](const SummaryRow& row) { return !row.warnings.empty(); });
    if (any_warning)
        table.columns.push_back({ColumnKind::warnings, "warnings", false, std::nullopt});
    std::vector<const CellMetrics*> metrics;
    std::vector<std::vector<std::string>> groups;
    for (const SummaryRow& row : table.rows) {
        metrics.push_back(row.metrics());
        groups.push_back(comparison_group(*row.cell, axes));
    }
    const std::vector<std::optional<double>> speeds = grouped_speeds(metrics, groups);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        SummaryRow& row = table.rows[i];
        row.relative_speed = speeds[i];
        for (const SummaryColumn& column : table.columns)
            row.texts.push_back(text_of(column, row));
    }
}

}  // namespace

std::vector<RowThreshold> row_thresholds(const SummaryRow& row) {
    std::vector<RowThreshold> verdicts;
    const std::vector<const CellReport*> cells = row.repeated != nullptr
                                                     ? row.repeated->repetitions
                                                     : std::vector<const CellReport*>{row.cell};
    for (const CellReport* cell : cells) {
        if (!cell->record)
            continue;
        for (const ThresholdResult& result : cell->record->thresholds)
            verdicts.push_back({cell->repetition, &result});
    }
    return verdicts;
}

const CellMetrics* SummaryRow::metrics() const {
    if (repeated != nullptr)
        return repeated->measured > 0 ? &repeated->medians : nullptr;
    return cell->metrics ? &*cell->metrics : nullptr;
}

EntryStatus SummaryRow::status() const {
    return repeated != nullptr ? repeated->status : cell->status;
}

std::string format_interval(Metric metric, const std::optional<MedianInterval>& interval) {
    if (!interval)
        return k_not_measured;
    const MetricDescriptor& descriptor = describe(metric);
    return descriptor.format(interval->low) + " – " + descriptor.format(interval->high);
}

std::string status_text(const CellReport& cell) {
    const std::string text = entry_status_name(cell.status);
    return is_suspect(cell) ? text + " (suspect)" : text;
}

std::vector<std::optional<double>> relative_speeds(const std::vector<const CellReport*>& cells,
                                                   const std::vector<std::string>& axes) {
    std::vector<const CellMetrics*> metrics;
    std::vector<std::vector<std::string>> groups;
    for (const CellReport* cell : cells) {
        metrics.push_back(cell->metrics ? &*cell->metrics : nullptr);
        groups.push_back(comparison_group(*cell, axes));
    }
    return grouped_speeds(metrics, groups);
}

SummaryTable build_summary_table(const std::vector<const CellReport*>& cells,
                                 const std::vector<std::string>& axes, unsigned repeat) {
    std::vector<ColumnKind> after_axes;
    if (repeat > 1)
        after_axes.push_back(ColumnKind::repetition);
    SummaryTable table{columns_for(axes, after_axes, {}, usage_columns(cells)), {}};
    for (const CellReport* cell : cells)
        table.rows.push_back(SummaryRow{cell, nullptr, std::nullopt, {}, cell->warnings});
    fill_texts(table, axes);
    return table;
}

SummaryTable build_repeated_summary_table(const std::vector<RepeatedCell>& cells,
                                          const std::vector<std::string>& axes) {
    std::vector<const CellReport*> repetitions;
    for (const RepeatedCell& cell : cells)
        repetitions.insert(repetitions.end(), cell.repetitions.begin(), cell.repetitions.end());
    SummaryTable table{
        columns_for(axes, {ColumnKind::repetitions}, {ColumnKind::spread_cv, ColumnKind::spread_ci},
                    usage_columns(repetitions)),
        {}};
    for (const RepeatedCell& cell : cells) {
        table.rows.push_back(
            SummaryRow{cell.repetitions.front(), &cell, std::nullopt, {}, repeated_warnings(cell)});
    }
    fill_texts(table, axes);
    return table;
}

}  // namespace benchctl
