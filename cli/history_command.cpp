// `benchctl history add|show|report|check`: one SQLite file (--db, default benchctl-history.db)
// holding every run's per-cell samples, labels and machine, and the views of its series:
//   add RUN      store a run directory (again: no change); --label key=value adds labels
//   show         print each series with its change points
//   report       an HTML page (SVG trend charts) or Markdown of the series
//   check        exit 1 when the newest runs of a series start a significant regression
// See docs/statistics.md and docs/ci.md.

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "compare/sample_set.hpp"
#include "exit_codes.hpp"
#include "history_flags.hpp"
#include "label_flags.hpp"
#include "report/model/run_reader.hpp"
#include "trend/history_text.hpp"
#include "trend/trend_report.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

struct HistoryFlags {
    std::string db = k_default_history_file;
    std::string run;  // add
    std::vector<std::string> labels;
    std::string cell = "*";
    std::string metrics;
    std::string format = "html";   // report
    std::string output;            // report
    std::string threshold = "5%";  // check: smaller significant changes are not flagged
};

TrendQuery query_of(const HistoryFlags& flags) {
    TrendQuery query;
    query.cell_glob = flags.cell;
    if (!flags.metrics.empty())
        query.metrics = parse_history_metrics(flags.metrics);
    return query;
}

int run_add(const HistoryFlags& flags) {
    const RunReport run = read_run(flags.run);
    const HistoryRun stored = history_run_of(run, parse_labels(flags.labels));
    HistoryStore store = HistoryStore::open(flags.db, HistoryStore::Open::create_if_missing);
    const bool added = store.add_run(stored) == HistoryStore::AddOutcome::added;
    const std::size_t cells = stored.cells.size();
    fmt::print(stderr, "benchctl: run {} {} {} ({} cell{})\n", stored.run_id,
               added ? "added to" : "already in", flags.db, cells, cells == 1 ? "" : "s");
    return 0;
}

int run_show(const HistoryFlags& flags) {
    const HistoryStore store = HistoryStore::open(flags.db, HistoryStore::Open::existing_only);
    const std::vector<SeriesTrend> trends = read_trends(store, query_of(flags));
    if (trends.empty()) {
        throw UserError(fmt::format("no series matches --cell '{}'", flags.cell), flags.db,
                        "see the stored cells with benchctl history show --db " + flags.db);
    }
    fmt::print("{}", render_series_text(trends));
    return 0;
}

int run_report(const HistoryFlags& flags) {
    if (flags.format != "html" && flags.format != "md" && flags.format != "markdown") {
        throw UserError(fmt::format("unknown history report format '{}'", flags.format), "--format",
                        "use html (the default) or md");
    }
    const HistoryStore store = HistoryStore::open(flags.db, HistoryStore::Open::existing_only);
    const std::vector<SeriesTrend> trends = read_trends(store, query_of(flags));
    const std::string text = flags.format == "html" ? render_trend_html(trends, flags.db)
                                                    : render_trend_markdown(trends, flags.db);
    if (flags.output.empty() || flags.output == "-") {
        fmt::print("{}", text);
        std::fflush(stdout);
    } else {
        write_file_atomically(flags.output, text);
    }
    return 0;
}

// The gate flags a change only when it is significant AND at least --threshold large, as
// `compare` does: a 2 % drift that a loaded machine makes significant is no regression to act on.
int run_check(const HistoryFlags& flags) {
    GateOptions gate;
    gate.min_relative_change = parse_percent(flags.threshold, "--threshold");
    const HistoryStore store = HistoryStore::open(flags.db, HistoryStore::Open::existing_only);
    const std::vector<SeriesTrend> trends = read_trends(store, query_of(flags), gate);
    fmt::print("{}", render_check_text(trends, flags.db));
    std::fflush(stdout);
    for (const SeriesTrend& trend : trends) {
        if (trend.gate.regression)
            return k_exit_regression;
    }
    return 0;
}

void add_db_flag(CLI::App& command, HistoryFlags& flags) {
    command.add_option("--db", flags.db,
                       fmt::format("History file (SQLite; default {})", k_default_history_file));
}

void add_selection_flags(CLI::App& command, HistoryFlags& flags) {
    command.add_option("--cell", flags.cell, "Cells whose series to read: a glob on the cell id");
    command.add_option("--metric", flags.metrics,
                       "Figures, comma-separated (default requests_per_sec,p50,p99; * for all)");
}

}  // namespace

CommandAction define_history_command(CLI::App& command) {
    auto flags = std::make_shared<HistoryFlags>();
    command.require_subcommand(1);
    CLI::App* add = command.add_subcommand("add", "Store a run directory's results in the history");
    add->add_option("run", flags->run, "Run directory written by benchctl run")->required();
    add->add_option("--label", flags->labels,
                    "key=value added to the run's labels (repeatable): --label commit=abc123");
    add_db_flag(*add, *flags);
    CLI::App* show = command.add_subcommand("show", "Print each series with its change points");
    CLI::App* report =
        command.add_subcommand("report", "Trend charts of the series: an HTML page or Markdown");
    report->add_option("-f,--format", flags->format, "html (default) or md");
    report->add_option("-o,--output", flags->output,
                       "Write the report to FILE (replaced atomically) instead of stdout");
    CLI::App* check = command.add_subcommand(
        "check", "Exit 1 when the newest runs of a series start a significant regression");
    check->add_option("--threshold", flags->threshold,
                      "Smallest change of a series' median that is flagged (default 5%; 0 flags "
                      "every significant change)");
    for (CLI::App* reader : {show, report, check}) {
        add_db_flag(*reader, *flags);
        add_selection_flags(*reader, *flags);
    }
    return [flags, add, show, report, check] {
        if (add->parsed())
            return run_add(*flags);
        if (show->parsed())
            return run_show(*flags);
        if (report->parsed())
            return run_report(*flags);
        if (check->parsed())
            return run_check(*flags);
        return 2;
    };
}

}  // namespace benchctl
