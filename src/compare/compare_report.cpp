#include "compare/compare_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "compare/compare_format.hpp"
#include "util/json_optional.hpp"

namespace benchctl {

namespace {

using nlohmann::json;

constexpr std::size_t k_columns = 7;
using Row = std::array<std::string, k_columns>;

const Row k_header = {"cell", "figure", "BASE", "NEW", "change", "p-value", "verdict"};

std::vector<Row> table_rows(const Comparison& comparison) {
    std::vector<Row> rows;
    for (const CellComparison& cell : comparison.cells) {
        for (const MetricComparison& m : cell.metrics) {
            rows.push_back({cell.cell_id, describe(m.metric).label,
                            value_text(m.metric, m.base_median), value_text(m.metric, m.new_median),
                            change_text(m), p_value_text(m), verdict_text(m)});
        }
    }
    return rows;
}

// Display width: UTF-8 code points ("—" is one column).
std::size_t width_of(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

const char* colour_of(const std::string& verdict) {
    if (verdict.starts_with("slower") || verdict.starts_with("failed"))
        return "\x1b[31m";
    if (verdict.starts_with("faster"))
        return "\x1b[32m";
    if (verdict.starts_with("noisy"))
        return "\x1b[33m";
    return "";
}

std::string text_line(const Row& row, const std::array<std::size_t, k_columns>& widths,
                      Colour colour) {
    std::string line;
    for (std::size_t i = 0; i < k_columns; ++i) {
        const std::string padding(widths[i] - width_of(row[i]), ' ');
        const bool right = i >= 2 && i <= 5;  // numbers
        std::string field = right ? padding + row[i] : row[i] + padding;
        if (i == k_columns - 1) {
            field = row[i];
            const char* code = colour == Colour::yes ? colour_of(row[i]) : "";
            if (*code != '\0')
                field = code + field + "\x1b[0m";
        }
        line += (i == 0 ? "" : "  ") + field;
    }
    return line + "\n";
}

json side_json(const SampleSet& side) {
    const MachineFingerprint& m = side.machine;
    return {{"source", side.source == SampleSource::run ? "run" : "history"},
            {"location", side.location},
            {"run_id", side.run_id},
            {"labels", side.labels},
            {"machine",
             {{"cpu_model", m.cpu_model},
              {"cores", m.cores},
              {"kernel", m.kernel},
              {"benchctl_version", m.benchctl_version}}}};
}

json sample_json(const std::vector<double>& samples, const std::optional<double>& median) {
    return {{"count", samples.size()}, {"median", or_null(median)}, {"samples", samples}};
}

json metric_json(const MetricComparison& m) {
    const MetricDescriptor& d = describe(m.metric);
    json test = nullptr;
    if (m.test) {
        test = {{"u", m.test->u},
                {"p_value", m.test->p_value},
                {"method", m.test->method == MannWhitneyMethod::exact ? "exact" : "normal"}};
    }
    const bool finite_change = m.change && std::isfinite(*m.change);
    return {{"metric", d.name},
            {"label", d.label},
            {"unit", d.unit},
            {"better", d.better == Better::higher ? "higher" : "lower"},
            {"base", sample_json(m.base_samples, m.base_median)},
            {"new", sample_json(m.new_samples, m.new_median)},
            {"ratio", or_null(m.ratio)},
            {"change_pct", finite_change ? json(*m.change * 100.0) : json(nullptr)},
            {"u_test", test},
            {"weak", m.weak},
            {"verdict", verdict_name(m.verdict)},
            {"reason", m.reason.empty() ? json(nullptr) : json(m.reason)}};
}

}  // namespace

std::string render_compare_text(const Comparison& comparison, const SampleSet& base,
                                const SampleSet& next, Colour colour) {
    std::string out =
        fmt::format("BASE: {}\nNEW:  {}\n", side_description(base), side_description(next));
    for (const std::string& difference : comparison.machine_differences)
        out += fmt::format("warning: the machines differ, {}\n", difference);
    const std::vector<Row> rows = table_rows(comparison);
    std::array<std::size_t, k_columns> widths{};
    for (const Row& row : rows) {
        for (std::size_t i = 0; i < k_columns; ++i)
            widths[i] = std::max({widths[i], width_of(row[i]), width_of(k_header[i])});
    }
    out += "\n" + text_line(k_header, widths, Colour::no);
    for (const Row& row : rows)
        out += text_line(row, widths, colour);
    out += "\n" + verdict_summary(comparison) + "\n";
    for (const std::string& note : comparison_notes(comparison))
        out += note + "\n";
    return out;
}

std::string render_compare_markdown(const Comparison& comparison, const SampleSet& base,
                                    const SampleSet& next) {
    const auto cell = [](const std::string& text) {
        std::string escaped;
        for (const char c : text) {
            if (c == '|' || c == '\\' || c == '`')
                escaped += '\\';
            escaped += c == '<' ? std::string("&lt;") : std::string(1, c);
        }
        return escaped;
    };
    std::string out = "### benchctl compare\n\n";
    out += fmt::format("- BASE: {}\n- NEW: {}\n", cell(side_description(base)),
                       cell(side_description(next)));
    for (const std::string& difference : comparison.machine_differences)
        out += fmt::format("\n> **Warning:** the machines differ, {}\n", cell(difference));
    out += "\n| cell | figure | BASE | NEW | change | p-value | verdict |\n";
    out += "|---|---|---:|---:|---:|---:|---|\n";
    for (const Row& row : table_rows(comparison)) {
        const bool plain = row[6] == "unchanged";
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", cell(row[0]), cell(row[1]),
                           cell(row[2]), cell(row[3]), cell(row[4]), cell(row[5]),
                           plain ? row[6] : "**" + row[6] + "**");
    }
    out += "\n" + cell(verdict_summary(comparison)) + "\n";
    for (const std::string& note : comparison_notes(comparison))
        out += "\n" + cell(note) + "\n";
    return out;
}

json compare_json(const Comparison& comparison, const SampleSet& base, const SampleSet& next) {
    json cells = json::array();
    for (const CellComparison& cell : comparison.cells) {
        json metrics = json::array();
        for (const MetricComparison& m : cell.metrics)
            metrics.push_back(metric_json(m));
        cells.push_back({{"cell", cell.cell_id},
                         {"verdict", verdict_name(cell.verdict)},
                         {"metrics", metrics}});
    }
    json names = json::array();
    for (const Metric metric : comparison.options.metrics)
        names.push_back(describe(metric).name);
    json counts = json::object();
    for (const Verdict verdict :
         {Verdict::unchanged, Verdict::faster, Verdict::slower, Verdict::noisy, Verdict::failed}) {
        counts[verdict_name(verdict)] = comparison.count(verdict);
    }
    return {{"schema", k_compare_schema},
            {"base", side_json(base)},
            {"new", side_json(next)},
            {"options",
             {{"metrics", names},
              {"alpha", comparison.options.alpha},
              {"threshold", comparison.options.threshold},
              {"min_repetitions", comparison.options.min_repetitions}}},
            {"machine_differences", comparison.machine_differences},
            {"cells", cells},
            {"only_base", comparison.only_base},
            {"only_new", comparison.only_new},
            {"counts", counts},
            {"regression", comparison.regression()}};
}

}  // namespace benchctl
