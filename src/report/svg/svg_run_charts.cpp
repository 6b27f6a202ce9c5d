#include "report/svg/svg_run_charts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report/model/cell_grouping.hpp"
#include "report/svg/svg_bar_chart.hpp"
#include "report/svg/svg_percentile_chart.hpp"
#include "report/svg/svg_timeline_chart.hpp"

namespace benchctl {

namespace {

// A cell placed in the charts: its group (first axis) and series (the other axes), and the
// series' index among the run's, so a series has one colour in every chart.
struct PlacedCell {
    const CellReport* cell = nullptr;
    std::string group;
    std::string series;
    std::size_t style_index = 0;
};

std::vector<PlacedCell> place_cells(const std::vector<const CellReport*>& cells,
                                    const std::vector<std::string>& order, unsigned repeat) {
    std::vector<PlacedCell> placed;
    for (const CellReport* cell : cells) {
        PlacedCell entry{cell, order.empty() ? cell->cell_id : axis_label(*cell, order[0]), ""};
        for (std::size_t i = 1; i < order.size(); ++i)
            entry.series += (i > 1 ? " / " : "") + axis_label(*cell, order[i]);
        if (repeat > 1) {
            entry.series +=
                fmt::format("{}rep {}", entry.series.empty() ? "" : " / ", cell->repetition);
        }
        placed.push_back(std::move(entry));
    }
    std::vector<std::string> series;
    for (PlacedCell& entry : placed) {
        auto at = std::find(series.begin(), series.end(), entry.series);
        if (at == series.end())
            at = series.insert(series.end(), entry.series);
        entry.style_index = static_cast<std::size_t>(at - series.begin());
    }
    return placed;
}

// Distinct values of `key` in first-seen order.
template <typename Key>
std::vector<std::string> distinct(const std::vector<PlacedCell>& placed, Key key) {
    std::vector<std::string> values;
    for (const PlacedCell& entry : placed) {
        const std::string& value = key(entry);
        if (std::find(values.begin(), values.end(), value) == values.end())
            values.push_back(value);
    }
    return values;
}

std::string group_heading(const std::vector<std::string>& order, const std::string& group) {
    return order.empty() ? group : fmt::format("{}: {}", order[0], group);
}

// A line's label: its series, or the group's when the group has only the one cell kind.
std::string line_label(const PlacedCell& entry) {
    return entry.series.empty() ? entry.group : entry.series;
}

// One bar of the throughput chart: its value, and each repetition's value when it is a median.
struct BarValue {
    std::optional<double> value;
    std::vector<double> dots;
};

BarValue bar_value(const PlacedCell& entry, const std::vector<RepeatedCell>& repeated) {
    for (const RepeatedCell& cell : repeated) {
        if (cell.repetitions.front() != entry.cell)
            continue;
        const std::optional<RepetitionSummary>& rate = cell.statistics_of(Metric::requests_per_sec);
        if (!rate)
            return {};
        return {rate->median, cell.samples_of(Metric::requests_per_sec)};
    }
    if (!entry.cell->metrics)
        return {};
    return {entry.cell->metrics->number(Metric::requests_per_sec), {}};
}

std::vector<RunChart> throughput_chart(const std::vector<PlacedCell>& placed,
                                       const std::vector<RepeatedCell>& repeated,
                                       const std::vector<std::string>& order) {
    std::vector<BarValue> values;
    for (const PlacedCell& entry : placed)
        values.push_back(bar_value(entry, repeated));
    const bool any = std::any_of(values.begin(), values.end(),
                                 [](const BarValue& bar) { return bar.value.has_value(); });
    if (!any)
        return {};
    BarChart chart;
    chart.title = repeated.empty()
                      ? "Requests per second of each cell"
                      : "Median requests per second of each cell, a dot per repetition";
    chart.y_title = "requests/sec";
    chart.unit = "requests/sec";
    chart.series = distinct(placed, [](const PlacedCell& entry) { return entry.series; });
    for (const std::string& group :
         distinct(placed, [](const PlacedCell& entry) { return entry.group; })) {
        BarGroup bars{group, std::vector<std::optional<double>>(chart.series.size()),
                      std::vector<std::vector<double>>(chart.series.size())};
        for (std::size_t i = 0; i < placed.size(); ++i) {
            if (placed[i].group != group || !values[i].value)
                continue;
            const auto at = std::find(chart.series.begin(), chart.series.end(), placed[i].series);
            const auto index = static_cast<std::size_t>(at - chart.series.begin());
            bars.values[index] = values[i].value;
            bars.dots[index] = values[i].dots;
        }
        chart.groups.push_back(std::move(bars));
    }
    const std::string heading =
        order.empty() ? "requests/sec" : fmt::format("requests/sec by {}", order[0]);
    return {{heading, render_bar_chart(chart)}};
}

std::vector<RunChart> latency_charts(const std::vector<PlacedCell>& placed,
                                     const std::vector<std::string>& order) {
    std::vector<RunChart> charts;
    for (const std::string& group :
         distinct(placed, [](const PlacedCell& entry) { return entry.group; })) {
        std::vector<PercentileSeries> series;
        for (const PlacedCell& entry : placed) {
            const CellReport& cell = *entry.cell;
            if (entry.group == group && cell.load && cell.load->result.latency.count() > 0)
                series.push_back({line_label(entry), percentile_curve(cell.load->result.latency),
                                  entry.style_index});
        }
        if (series.empty())
            continue;
        const std::string heading = group_heading(order, group);
        charts.push_back(
            {heading, render_percentile_chart("Latency by percentile, " + heading, series)});
    }
    return charts;
}

std::vector<RunChart> timeline_charts(const std::vector<PlacedCell>& placed,
                                      const std::vector<std::string>& order) {
    std::vector<RunChart> charts;
    for (const std::string& group :
         distinct(placed, [](const PlacedCell& entry) { return entry.group; })) {
        std::vector<TimelineSeries> series;
        for (const PlacedCell& entry : placed) {
            const CellReport& cell = *entry.cell;
            if (entry.group == group && cell.load && !cell.load->result.timeline.empty())
                series.push_back(
                    {line_label(entry), cell.load->result.timeline, entry.style_index});
        }
        if (series.empty())
            continue;
        const std::string heading = group_heading(order, group);
        charts.push_back(
            {heading, render_timeline_chart("Requests completed per second, " + heading, series)});
    }
    return charts;
}

}  // namespace

RunCharts build_run_charts(const std::vector<const CellReport*>& cells,
                           const std::vector<RepeatedCell>& repeated,
                           const std::vector<std::string>& order, unsigned repeat) {
    const std::vector<PlacedCell> placed = place_cells(cells, order, repeat);
    std::vector<const CellReport*> bars;
    for (const RepeatedCell& cell : repeated)
        bars.push_back(cell.repetitions.front());
    const std::vector<RunChart> throughput =
        repeated.empty() ? throughput_chart(placed, repeated, order)
                         : throughput_chart(place_cells(bars, order, 1), repeated, order);
    return {throughput, latency_charts(placed, order), timeline_charts(placed, order)};
}

}  // namespace benchctl
