#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/model/repeated_cell.hpp"

namespace benchctl {

// The formats `benchctl report` writes (--format).
enum class ReportFormat { markdown, csv, json, html };

// A format's variant (--style): standard is the format's own layout; siege (with Markdown) writes
// source document 002's text layout; wrk_commands (Markdown) source document 004's, a heading per
// cell that is its wrk command line; rounds (Markdown) source document 003's, the first axis as
// rounds with each cell's time for its write requests; gunicorn_bench (JSON) source document
// 001's shape.
enum class ReportStyle { standard, siege, gunicorn_bench, wrk_commands, rounds };

// What `benchctl report` was asked for, checked.
struct ReportOptions {
    ReportFormat format = ReportFormat::markdown;
    ReportStyle style = ReportStyle::standard;
    std::vector<std::string> group_by;        // axis names to nest first (--group-by)
    std::optional<std::string> template_dir;  // --template DIR: overrides of report_templates/
    // Repeated cells: one row per repetition (--per-repetition) instead of one per cell with the
    // medians and spread.
    bool per_repetition = false;
    // The CV above which a repeated cell is flagged "noisy" (--noise-limit, 0.05 = 5 %).
    double noise_limit = k_default_noise_limit;
    // gunicorn-bench: the axis whose value names each scenario (--scenario-axis); unset: the last.
    std::optional<std::string> scenario_axis;
};

// "md" / "markdown", "csv", "json", "html". Throws UserError naming --format otherwise.
ReportFormat parse_report_format(const std::string& text);

// "" (standard), "wrk" (Markdown's standard), "siege", "wrk-commands" and "rounds" (Markdown only),
// "gunicorn-bench" (JSON only). Throws UserError naming --style for an unknown style or one the
// format lacks.
ReportStyle parse_report_style(const std::string& text, ReportFormat format);

// "server,endpoint" -> {"server", "endpoint"}; blanks around names are dropped. Throws
// UserError naming --group-by for an empty name ("a,,b").
std::vector<std::string> parse_group_by(const std::string& text);

}  // namespace benchctl
