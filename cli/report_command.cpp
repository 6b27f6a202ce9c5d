// `benchctl report RUN_DIR`: renders a run directory written by `benchctl run` as Markdown (the
// default; --style wrk-commands, rounds, or siege's text), CSV, JSON (--style gunicorn-bench) or
// one self-contained HTML page, to stdout or --output FILE.
// Built from the result files alone; see docs/reports.md.

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "report/model/run_reader.hpp"
#include "report/report_options.hpp"
#include "report/report_renderer.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

// The flags as typed; checked together once parsing is done, each error naming its flag.
struct ReportFlags {
    std::string run_directory;
    std::string format = "md";
    std::string style;
    std::string group_by;
    std::string output;
    std::string template_dir;
    bool per_repetition = false;
    std::string noise_limit;
    std::string scenario_axis;
};

ReportOptions to_options(const ReportFlags& flags) {
    ReportOptions options;
    options.format = parse_report_format(flags.format);
    options.style = parse_report_style(flags.style, options.format);
    options.group_by = parse_group_by(flags.group_by);
    if (!flags.template_dir.empty())
        options.template_dir = flags.template_dir;
    options.per_repetition = flags.per_repetition;
    if (!flags.noise_limit.empty())
        options.noise_limit = parse_percent(flags.noise_limit, "--noise-limit");
    if (!flags.scenario_axis.empty()) {
        if (options.style != ReportStyle::gunicorn_bench) {
            throw UserError("--scenario-axis names gunicorn-bench's scenarios", "--scenario-axis",
                            "add --format json --style gunicorn-bench, or leave it out");
        }
        options.scenario_axis = flags.scenario_axis;
    }
    return options;
}

int run_report_command(const ReportFlags& flags) {
    const ReportOptions options = to_options(flags);
    if (!flags.output.empty() && flags.output != "-")
        check_output_file(flags.output, "-o");
    const RunReport run = read_run(flags.run_directory);
    const std::string text = render_report(run, options);
    if (flags.output.empty() || flags.output == "-") {
        fmt::print("{}", text);
        std::fflush(stdout);
    } else {
        write_file_atomically(flags.output, text);
    }
    return 0;
}

}  // namespace

CommandAction define_report_command(CLI::App& command) {
    auto flags = std::make_shared<ReportFlags>();
    command.add_option("run", flags->run_directory, "Run directory written by benchctl run")
        ->required();
    command.add_option("-f,--format", flags->format,
                       "md (default), html (one self-contained page), csv or json");
    command.add_option("--style", flags->style,
                       "md: wrk (default), wrk-commands (source 004), rounds (source 003) or "
                       "siege (source 002, text); json: benchctl (default) or gunicorn-bench "
                       "(source 001)");
    command.add_option("--group-by", flags->group_by,
                       "Axes to nest by, outermost first (Markdown headings, row order): "
                       "server,endpoint");
    command.add_option("-o,--output", flags->output,
                       "Write the report to FILE (replaced atomically) instead of stdout");
    command.add_option("--template", flags->template_dir,
                       "Directory of <name>.mustache files overriding report_templates/");
    command.add_flag("--per-repetition", flags->per_repetition,
                     "Repeated cells: one row per repetition instead of one per cell with the "
                     "median and spread");
    command.add_option("--noise-limit", flags->noise_limit,
                       "Flag a repeated cell as noisy when the coefficient of variation of its "
                       "requests/sec or p50 exceeds this percentage (default 5)");
    command.add_option("--scenario-axis", flags->scenario_axis,
                       "json --style gunicorn-bench: the axis whose value names each scenario "
                       "(default the last axis)");
    return [flags] { return run_report_command(*flags); };
}

}  // namespace benchctl
