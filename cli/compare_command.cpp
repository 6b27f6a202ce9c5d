// `benchctl compare BASE NEW`: two run directories (or `--baseline history[:FILE]` and NEW),
// cell by cell and figure by figure, as an aligned table (coloured on a terminal), Markdown
// (appended to $GITHUB_STEP_SUMMARY when set) or JSON (benchctl.compare/1). Exit code 0 when
// nothing is slower, 1 on a significant regression, 2 for bad input. See docs/compare.md.

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "compare/compare_report.hpp"
#include "compare/history_baseline.hpp"
#include "exit_codes.hpp"
#include "history_flags.hpp"
#include "report/model/run_reader.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

struct CompareFlags {
    std::vector<std::string> runs;  // BASE NEW, or NEW alone with --baseline
    std::string baseline;
    std::string metrics;
    std::string alpha;
    std::string threshold;
    std::string format = "text";
};

enum class CompareFormat { text, markdown, json };

CompareFormat parse_compare_format(const std::string& text) {
    if (text == "text")
        return CompareFormat::text;
    if (text == "md" || text == "markdown")
        return CompareFormat::markdown;
    if (text == "json")
        return CompareFormat::json;
    throw UserError(fmt::format("unknown compare format '{}'", text), "--format",
                    "use text (the default), md or json");
}

CompareOptions to_options(const CompareFlags& flags) {
    CompareOptions options;
    if (!flags.metrics.empty())
        options.metrics = parse_metric_list(flags.metrics);
    if (!flags.threshold.empty())
        options.threshold = parse_percent(flags.threshold, "--threshold");
    if (!flags.alpha.empty()) {
        char* end = nullptr;
        options.alpha = std::strtod(flags.alpha.c_str(), &end);
        if (end == flags.alpha.c_str() || *end != '\0' || !(options.alpha > 0) ||
            !(options.alpha < 1)) {
            throw UserError(fmt::format("malformed significance level '{}'", flags.alpha),
                            "--alpha", "write a probability between 0 and 1, e.g. 0.01");
        }
    }
    return options;
}

// "history" -> the default file; "history:FILE" -> FILE. Throws UserError naming --baseline.
std::string baseline_file(const std::string& baseline) {
    if (baseline == "history")
        return k_default_history_file;
    if (baseline.starts_with("history:") && baseline.size() > 8)
        return baseline.substr(8);
    throw UserError(fmt::format("unknown baseline '{}'", baseline), "--baseline",
                    "write history (the default history file) or history:FILE, or give BASE as "
                    "a run directory instead");
}

// BASE and NEW from the arguments. Throws UserError for the wrong number of runs.
std::pair<SampleSet, SampleSet> read_sides(const CompareFlags& flags,
                                           const CompareOptions& options) {
    if (flags.baseline.empty()) {
        if (flags.runs.size() != 2) {
            throw UserError("compare needs BASE and NEW", "",
                            "give two run directories, or one with --baseline history[:FILE]");
        }
        return {samples_of_run(read_run(flags.runs[0])), samples_of_run(read_run(flags.runs[1]))};
    }
    if (flags.runs.size() != 1) {
        throw UserError("with --baseline, compare takes NEW alone", "--baseline",
                        "give one run directory: benchctl compare --baseline history NEW");
    }
    SampleSet next = samples_of_run(read_run(flags.runs[0]));
    const HistoryStore store =
        HistoryStore::open(baseline_file(flags.baseline), HistoryStore::Open::existing_only);
    return {history_baseline(store, options.metrics, next.run_id), std::move(next)};
}

// On a terminal, unless NO_COLOR (no-color.org) is set.
Colour choose_colour() {
    const char* no_colour = std::getenv("NO_COLOR");
    const bool refused = no_colour != nullptr && *no_colour != '\0';
    return isatty(STDOUT_FILENO) && !refused ? Colour::yes : Colour::no;
}

// GitHub Actions shows this file on the run's page; a job may write to it from several steps.
void append_to_step_summary(const std::string& markdown) {
    const char* path = std::getenv("GITHUB_STEP_SUMMARY");
    if (path == nullptr || *path == '\0')
        return;
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << markdown << "\n";
    if (!out)
        fmt::print(stderr, "benchctl: warning: cannot append to $GITHUB_STEP_SUMMARY ({})\n", path);
}

int run_compare_command(const CompareFlags& flags) {
    const CompareFormat format = parse_compare_format(flags.format);
    const CompareOptions options = to_options(flags);
    const auto [base, next] = read_sides(flags, options);
    const Comparison comparison = compare_samples(base, next, options);
    std::string text;
    switch (format) {
        case CompareFormat::text:
            text = render_compare_text(comparison, base, next, choose_colour());
            break;
        case CompareFormat::markdown:
            text = render_compare_markdown(comparison, base, next);
            append_to_step_summary(text);
            break;
        case CompareFormat::json:
            text = compare_json(comparison, base, next).dump(2) + "\n";
            break;
    }
    fmt::print("{}", text);
    std::fflush(stdout);
    return comparison.regression() ? k_exit_regression : 0;
}

}  // namespace

CommandAction define_compare_command(CLI::App& command) {
    auto flags = std::make_shared<CompareFlags>();
    command.add_option("runs", flags->runs,
                       "BASE NEW: two run directories (NEW alone with "
                       "--baseline)");
    command.add_option("--baseline", flags->baseline,
                       "history or history:FILE: compare NEW with the newest stable segment of "
                       "the history instead of a BASE run");
    command.add_option("--metric", flags->metrics,
                       "Figures to compare, comma-separated (default requests_per_sec,p50,p99); "
                       "each is judged in its own direction");
    command.add_option("--alpha", flags->alpha, "Significance level of the U test (default 0.01)");
    command.add_option("--threshold", flags->threshold,
                       "Smallest change, in percent, that counts as slower or faster (default 5)");
    command.add_option("-f,--format", flags->format, "text (default), md or json");
    return [flags] { return run_compare_command(*flags); };
}

}  // namespace benchctl
