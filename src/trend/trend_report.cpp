#include "trend/trend_report.hpp"

#include <fmt/format.h>

#include "report/svg/svg_writer.hpp"
#include "trend/history_text.hpp"
#include "trend/trend_chart.hpp"

namespace benchctl {

namespace {

constexpr const char* k_style = R"(body { margin: 0; color: #1a1a1a; line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; overflow-wrap: anywhere; }
.note { color: #595959; font-size: 0.9rem; }
.regression { color: #D55E00; font-weight: bold; }
svg { display: block; width: 100%; height: auto; }
svg text { font-size: 12px; fill: #1a1a1a; } svg text.axis-title { fill: #595959; }
svg line.grid { stroke: #e3e3e3; } svg line.axis { stroke: #777; }
svg polyline { fill: none; stroke-width: 2; }
code { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
)";

std::string gate_text(const SeriesTrend& trend) {
    if (trend.gate.regression)
        return "history check: " + regression_line(trend);
    return "history check: no regression";
}

std::vector<std::string> change_lines(const SeriesTrend& trend) {
    std::vector<std::string> lines;
    const MetricDescriptor& d = describe(trend.metric);
    for (const ChangePoint& change : trend.gate.change_points) {
        lines.push_back(fmt::format(
            "{} at run {} ({}): median {} -> {}, {}", change_size_text(change),
            trend.series.points[change.index].run_id, point_name(trend.series.points[change.index]),
            d.format(change.median_before), d.format(change.median_after),
            change_location(trend.series, change.index)));
    }
    return lines;
}

std::size_t regressions(const std::vector<SeriesTrend>& trends) {
    std::size_t count = 0;
    for (const SeriesTrend& trend : trends)
        count += trend.gate.regression ? 1 : 0;
    return count;
}

}  // namespace

std::string render_trend_html(const std::vector<SeriesTrend>& trends, const std::string& file) {
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">\n<meta name=\"generator\" content=\"benchctl history "
        "report\">\n<title>History of {} · benchctl</title>\n<style>\n{}</style>\n</head>\n"
        "<body>\n<main>\n<h1>History of <code>{}</code></h1>\n",
        escape_xml(file), k_style, escape_xml(file));
    out += fmt::format(
        "<p>{} series, {} flagged by the nightly gate. Dots are each run's median "
        "(its repetitions' range as a bar), dashed levels each stable segment's "
        "median, dashed vertical lines the change points (E-Divisive, "
        "docs/statistics.md).</p>\n",
        trends.size(), regressions(trends));
    for (const SeriesTrend& trend : trends) {
        out += fmt::format("<section>\n<h2><code>{}</code> · {}</h2>\n<figure>\n{}\n</figure>\n",
                           escape_xml(trend.series.cell_id),
                           escape_xml(describe(trend.metric).label), render_trend_chart(trend));
        out += "<ul>\n";
        for (const std::string& line : change_lines(trend))
            out += fmt::format("<li>Change point: {}</li>\n", escape_xml(line));
        out += fmt::format("<li class=\"{}\">{}</li>\n</ul>\n</section>\n",
                           trend.gate.regression ? "regression" : "note",
                           escape_xml(gate_text(trend)));
    }
    out +=
        "<p class=\"note\">Rendered by <code>benchctl history report</code> from the history "
        "file alone.</p>\n</main>\n</body>\n</html>\n";
    return out;
}

std::string render_trend_markdown(const std::vector<SeriesTrend>& trends, const std::string& file) {
    std::string out = fmt::format(
        "# History of {}\n\n{} series, {} flagged by the nightly gate. "
        "Sparklines show each run's median, oldest first; `|` marks a "
        "change point.\n",
        file, trends.size(), regressions(trends));
    for (const SeriesTrend& trend : trends) {
        const Series& series = trend.series;
        const MetricDescriptor& d = describe(trend.metric);
        out += fmt::format("\n## {} · {}\n\n`{}` {} runs, newest median {}\n", series.cell_id,
                           d.label, sparkline(trend), series.points.size(),
                           d.format(series.points.back().median));
        for (const std::string& line : change_lines(trend))
            out += fmt::format("\n- Change point: {}", line);
        const std::string emphasis = trend.gate.regression ? "**" : "";
        out += fmt::format("\n- {}{}{}\n", emphasis, gate_text(trend), emphasis);
    }
    return out;
}

}  // namespace benchctl
