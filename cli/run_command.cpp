// `benchctl run MATRIX`: expands the matrix and runs every cell, keeping each result on disk as
// soon as it is measured. Exit code 0 when every cell is done and met its thresholds, 1 when some
// failed (the summary says how many), 99 when every cell ran but some missed a threshold, 2 for
// a bad matrix or flags, 130 when interrupted.

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "interrupt_signals.hpp"
#include "label_flags.hpp"
#include "matrix_flags.hpp"
#include "run_progress.hpp"
#include "runner/matrix_runner.hpp"

namespace benchctl {

namespace {

constexpr int k_exit_cells_failed = 1;
// A cell missed a threshold of the matrix (docs/matrix.md): k6's code, so that CI scripts that
// know k6 read it the same way; it cannot be taken for 1, 2, 3 or 130.
constexpr int k_exit_threshold_failed = 99;
constexpr int k_exit_interrupted = 130;

struct RunFlags {
    MatrixFlags matrix;
    std::string out_dir;
    std::string resume_dir;
    std::vector<std::string> labels;
    bool quiet = false;
};

// SIGINT/SIGTERM: the first stops the current cell and ends the run, keeping what was measured;
// the second also skips grace periods. Either way no process is left behind.
RunControl* g_run_control = nullptr;

extern "C" void on_run_signal(int) {
    if (g_run_control != nullptr)
        g_run_control->interrupt();
}

void install_run_signal_handlers(RunControl& control) {
    g_run_control = &control;
    handle_interrupt_signals(on_run_signal);
}

int run_run_command(const RunFlags& flags) {
    Matrix matrix = load_matrix(flags.matrix.file, matrix_options(flags.matrix, HostChecks::yes));
    RunOptions options;
    options.out_dir = flags.out_dir;
    options.resume_dir = flags.resume_dir;
    options.overrides = flags.matrix.settings;
    options.labels = parse_labels(flags.labels);
    RunControl control;
    install_run_signal_handlers(control);
    ProgressPrinter printer(choose_progress_style(flags.quiet), matrix.repeat);
    RunSummary summary = run_matrix(matrix, options, control, printer);
    fmt::print(stderr, "benchctl: {} done, {} failed{}{}{}; results in {}\n", summary.done,
               summary.failed,
               summary.thresholds_failed
                   ? fmt::format(", {} missed a threshold", summary.thresholds_failed)
                   : "",
               summary.skipped ? fmt::format(", {} done before", summary.skipped) : "",
               summary.interrupted ? ", interrupted" : "", absolute_path(summary.run_dir));
    if (summary.interrupted)
        return k_exit_interrupted;
    if (summary.failed > 0)
        return k_exit_cells_failed;
    return summary.thresholds_failed > 0 ? k_exit_threshold_failed : 0;
}

}  // namespace

CommandAction define_run_command(CLI::App& command) {
    auto flags = std::make_shared<RunFlags>();
    add_matrix_flags(command, flags->matrix);
    auto* out = command.add_option("--out", flags->out_dir,
                                   "Run directory (default results/<UTC time>-<matrix name>)");
    auto* resume = command.add_option("--resume", flags->resume_dir,
                                      "Continue the run in DIR: only the cells not done yet");
    out->excludes(resume);
    command.add_option("--label", flags->labels,
                       "Record key=value in the run's manifest (repeatable): --label commit=abc123 "
                       "--label branch=main; history add keeps them");
    command.add_flag("-q,--quiet", flags->quiet, "Print nothing but errors and the summary");
    return [flags] { return run_run_command(*flags); };
}

}  // namespace benchctl
