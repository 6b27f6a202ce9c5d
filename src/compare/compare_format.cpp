#include "compare/compare_format.hpp"

#include <fmt/format.h>

#include <cmath>

#include "report/model/summary_table.hpp"

namespace benchctl {

namespace {

std::string labels_text(const std::map<std::string, std::string>& labels) {
    std::string text;
    for (const auto& [key, value] : labels)
        text += fmt::format(", {}={}", key, value);
    return text;
}

bool any_weak(const Comparison& comparison) {
    for (const CellComparison& cell : comparison.cells) {
        for (const MetricComparison& metric : cell.metrics) {
            if (metric.weak && metric.verdict != Verdict::failed)
                return true;
        }
    }
    return false;
}

std::vector<std::string> cells_with(const Comparison& comparison, Verdict verdict) {
    std::vector<std::string> cells;
    for (const CellComparison& cell : comparison.cells) {
        if (cell.verdict == verdict)
            cells.push_back(cell.cell_id);
    }
    return cells;
}

}  // namespace

std::string side_description(const SampleSet& side) {
    if (side.source == SampleSource::history) {
        return fmt::format("history {}, newest stable segment (newest run {}{})", side.location,
                           side.run_id, labels_text(side.labels));
    }
    return fmt::format("{} (run {}{})", side.location, side.run_id, labels_text(side.labels));
}

std::string value_text(Metric metric, const std::optional<double>& value) {
    return value ? describe(metric).format(*value) : k_not_measured;
}

std::string change_text(const MetricComparison& comparison) {
    if (!comparison.change)
        return k_not_measured;
    if (std::isinf(*comparison.change))
        return "from 0";
    return fmt::format("{:+.1f}%", *comparison.change * 100.0);
}

std::string p_value_text(const MetricComparison& comparison) {
    return comparison.test ? fmt::format("{:.3g}", comparison.test->p_value) : k_not_measured;
}

std::string verdict_text(const MetricComparison& comparison) {
    const bool weak = comparison.weak && comparison.verdict != Verdict::failed;
    return std::string(verdict_name(comparison.verdict)) + (weak ? " (weak)" : "");
}

std::string verdict_summary(const Comparison& comparison) {
    std::vector<std::string> parts;
    for (const Verdict verdict :
         {Verdict::slower, Verdict::failed, Verdict::noisy, Verdict::faster, Verdict::unchanged}) {
        const std::size_t count = comparison.count(verdict);
        if (count == 0)
            continue;
        std::string part = fmt::format("{} {}", count, verdict_name(verdict));
        if (verdict == Verdict::slower || verdict == Verdict::failed)
            part += fmt::format(" ({})", fmt::join(cells_with(comparison, verdict), ", "));
        parts.push_back(part);
    }
    const std::size_t total = comparison.cells.size();
    return fmt::format("{} cell{} compared{}{}", total, total == 1 ? "" : "s",
                       parts.empty() ? "" : ": ", fmt::join(parts, ", "));
}

std::vector<std::string> comparison_notes(const Comparison& comparison) {
    std::vector<std::string> notes;
    if (!comparison.only_base.empty()) {
        notes.push_back(
            fmt::format("Only in BASE (not compared): {}", fmt::join(comparison.only_base, ", ")));
    }
    if (!comparison.only_new.empty()) {
        notes.push_back(
            fmt::format("Only in NEW (not compared): {}", fmt::join(comparison.only_new, ", ")));
    }
    if (any_weak(comparison)) {
        notes.push_back(fmt::format(
            "(weak): fewer than {} repetitions on a side, so no U test; the threshold alone "
            "judged. Repeat cells {} times or more for a significance test.",
            comparison.options.min_repetitions, comparison.options.min_repetitions));
    }
    std::vector<std::string> names;
    for (const Metric metric : comparison.options.metrics)
        names.emplace_back(describe(metric).name);
    notes.push_back(fmt::format(
        "Slower or faster needs a change beyond {:g}% and a Mann-Whitney U p-value below {:g}; "
        "figures: {}.",
        comparison.options.threshold * 100.0, comparison.options.alpha, fmt::join(names, ", ")));
    return notes;
}

}  // namespace benchctl
