#include "run_progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "metrics/metric.hpp"
#include "util/units.hpp"

namespace benchctl {

std::string absolute_path(const std::string& path) {
    std::error_code error;
    std::filesystem::path absolute = std::filesystem::absolute(path, error);
    return error ? path : absolute.lexically_normal().string();
}

ProgressStyle choose_progress_style(bool quiet) {
    if (quiet)
        return ProgressStyle::quiet;
    const char* ci = std::getenv("CI");
    bool in_ci = ci != nullptr && *ci != '\0' && std::string(ci) != "false";
    return isatty(STDERR_FILENO) && !in_ci ? ProgressStyle::live : ProgressStyle::plain;
}

void ProgressPrinter::on_run_start(const std::string& run_dir, unsigned total, unsigned skipped) {
    m_cells = std::max(1U, total / m_repeat);
    if (m_style == ProgressStyle::quiet)
        return;
    std::string plan = fmt::format("{} cell{}", m_cells, m_cells == 1 ? "" : "s");
    if (m_repeat > 1)
        plan += fmt::format(" x {} repetitions = {} runs", m_repeat, total);
    fmt::print(stderr, "benchctl: {} into {}{}\n", plan, absolute_path(run_dir),
               skipped ? fmt::format(" ({} already done, skipped)", skipped) : "");
}

void ProgressPrinter::on_cell_start(unsigned index, unsigned, const std::string& cell_label) {
    unsigned cell = (index - 1) % m_cells + 1;
    m_prefix = fmt::format("[cell {}/{}", cell, m_cells);
    if (m_repeat > 1)
        m_prefix += fmt::format(", repetition {}/{}", (index - 1) / m_cells + 1, m_repeat);
    m_prefix += fmt::format("] {}", cell_label);
    if (m_style == ProgressStyle::plain)
        fmt::print(stderr, "{} starting\n", m_prefix);
    if (m_style == ProgressStyle::live)
        fmt::print(stderr, "{} starting\x1b[K\r", m_prefix);
}

void ProgressPrinter::on_cell_progress(double elapsed_sec, double planned_sec,
                                       std::uint64_t completed, double requests_per_sec,
                                       std::uint64_t failed) {
    if (m_style != ProgressStyle::live)
        return;
    std::string remaining =
        planned_sec > 0 ? fmt::format(", {:.0f}s left", std::max(0.0, planned_sec - elapsed_sec))
                        : "";
    fmt::print(stderr, "{}  {:.1f}s{}  {} req  {}/s  {} failed\x1b[K\r", m_prefix, elapsed_sec,
               remaining, completed, format_metric(requests_per_sec), failed);
}

namespace {

// "  threshold p99 < 250ms failed: 312.40 ms" for each threshold the cell missed.
void print_failed_thresholds(const CellRecord& record) {
    for (const ThresholdResult& result : record.thresholds) {
        if (result.passed)
            continue;
        const std::optional<Metric> metric = find_metric(result.metric);
        const std::string value = !result.value ? "not measured"
                                  : metric      ? describe(*metric).format(*result.value)
                                                : fmt::format("{}", *result.value);
        fmt::print(stderr, "  threshold {} {} failed: {}\n", result.metric, result.expression,
                   value);
    }
}

}  // namespace

void ProgressPrinter::on_cell_end(unsigned, unsigned, const CellRecord& record) {
    if (m_style == ProgressStyle::quiet)
        return;
    std::string outcome;
    if (record.status == CellStatus::done && record.load) {
        outcome = fmt::format("{:.2f} req/s, p99 {:.2f} ms, {} failed",
                              record.load->value("requests_per_sec", 0.0),
                              record.load->value("/latency_ms/p99"_json_pointer, 0.0),
                              record.load->value("/requests/failed"_json_pointer, 0));
    } else {
        outcome = fmt::format("{}: {}", cell_status_name(record.status), record.failure_reason);
    }
    fmt::print(stderr, "{}  {}{}\n", m_prefix, outcome,
               m_style == ProgressStyle::live ? "\x1b[K" : "");
    print_failed_thresholds(record);
}

void ProgressPrinter::on_note(const std::string& text) {
    if (m_style != ProgressStyle::quiet)
        fmt::print(stderr, "benchctl: {}\n", text);
}

}  // namespace benchctl
