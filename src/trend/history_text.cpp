#include "trend/history_text.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

#include "stats/repetition_summary.hpp"
#include "util/number_format.hpp"

namespace benchctl {

namespace {

const ChangePoint* change_at(const SeriesTrend& trend, std::size_t index) {
    for (const ChangePoint& change : trend.gate.change_points) {
        if (change.index == index)
            return &change;
    }
    return nullptr;
}

std::string cv_text(const std::vector<double>& samples) {
    const RepetitionSummary summary = summarize_repetitions(samples);
    return summary.cv ? fmt::format("{:.1f}%", *summary.cv * 100.0) : "—";
}

std::string point_line(const SeriesTrend& trend, std::size_t index) {
    const SeriesPoint& point = trend.series.points[index];
    const auto commit = point.labels.find("commit");
    std::string line = fmt::format(
        "  {:<34} {:%Y-%m-%d %H:%M}  {:<12} {:>3}  {:>14}  {:>6}", point.run_id, point.started_at,
        commit == point.labels.end() ? "" : commit->second.substr(0, 12), point.samples.size(),
        describe(trend.metric).format(point.median), cv_text(point.samples));
    if (const ChangePoint* change = change_at(trend, index)) {
        line += fmt::format("  <- change point: {}, {}", change_size_text(*change),
                            change_location(trend.series, index));
    }
    return line + "\n";
}

}  // namespace

std::string change_size_text(const ChangePoint& change) {
    const std::string size = change.relative_change
                                 ? fmt::format("{:+.1f}%", *change.relative_change * 100.0)
                                 : "from 0";
    return fmt::format("{}, p {:.3g}", size, change.p_value);
}

std::string render_series_text(const std::vector<SeriesTrend>& trends) {
    std::string out;
    for (const SeriesTrend& trend : trends) {
        const std::size_t runs = trend.series.points.size();
        out += fmt::format("{}  {} ({} run{}, {} change point{})\n", trend.series.cell_id,
                           describe(trend.metric).label, runs, runs == 1 ? "" : "s",
                           trend.gate.change_points.size(),
                           trend.gate.change_points.size() == 1 ? "" : "s");
        out += fmt::format("  {:<34} {:<16}  {:<12} {:>3}  {:>14}  {:>6}\n", "run", "started (UTC)",
                           "commit", "n", "median", "CV");
        for (std::size_t i = 0; i < runs; ++i)
            out += point_line(trend, i);
        out += "\n";
    }
    return out;
}

std::string regression_line(const SeriesTrend& trend) {
    const ChangePoint& change = *trend.gate.newest_change;
    const Series& series = trend.series;
    const MetricDescriptor& d = describe(trend.metric);
    std::string line =
        fmt::format("regression: {} {} {} from run {}, median {} -> {}, {}", series.cell_id,
                    d.label, change_size_text(change), series.points[change.index].run_id,
                    d.format(change.median_before), d.format(change.median_after),
                    change_location(series, change.index));
    const std::vector<std::string> machine = fingerprint_differences(
        series.points[change.index - 1].machine, series.points[change.index].machine);
    if (!machine.empty()) {
        line += fmt::format(
            " (the machine changed at the same run: {}; the change may be the "
            "machine's)",
            fmt::join(machine, ", "));
    }
    return line;
}

std::string render_check_text(const std::vector<SeriesTrend>& trends, const std::string& file) {
    std::string out;
    std::size_t regressions = 0;
    for (const SeriesTrend& trend : trends) {
        if (!trend.gate.regression)
            continue;
        ++regressions;
        out += regression_line(trend) + "\n";
    }
    out += fmt::format(
        "history check: {} in {} series of {}\n",
        regressions == 0 ? std::string("no regression")
                         : fmt::format("{} regression{}", regressions, regressions == 1 ? "" : "s"),
        trends.size(), file);
    return out;
}

}  // namespace benchctl
