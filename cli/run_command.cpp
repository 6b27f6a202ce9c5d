// `benchctl run MATRIX`: expands the matrix and runs every cell, keeping each result on disk as
// soon as it is measured; `benchctl run --resume DIR` continues a run, the matrix, --set and
// --only taken from its manifest. Exit code 0 when every cell is done and met its thresholds, 1
// when some failed (the summary says how many), 99 when every cell ran but some missed a
// threshold, 2 for a bad matrix or flags, 4 when a result could not be written (the disk filled
// up: the summary says where the figures were kept and how to resume), 130 when interrupted.

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "interrupt_signals.hpp"
#include "label_flags.hpp"
#include "launch/process_tree.hpp"
#include "matrix_flags.hpp"
#include "results/run_manifest.hpp"
#include "run_progress.hpp"
#include "runner/agent_host_pool.hpp"
#include "runner/matrix_runner.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

struct RunFlags {
    MatrixFlags matrix;
    std::string out_dir;
    std::string resume_dir;
    std::vector<std::string> labels;
    bool quiet = false;
    bool copy_binary = false;  // consent to copy this benchctl to every host without one
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

// The manifest of the run to resume, read only to learn its matrix, --set and --only.
RunManifest manifest_to_resume(const std::string& dir) {
    const std::string path = (std::filesystem::path(dir) / "manifest.json").string();
    if (!std::filesystem::is_regular_file(path)) {
        throw UserError(fmt::format("'{}' holds no manifest.json", dir), "--resume",
                        "point at a directory written by benchctl run");
    }
    nlohmann::json doc = nlohmann::json::parse(read_file(path, "--resume"), nullptr, false);
    if (doc.is_discarded()) {
        throw UserError("the manifest is not valid JSON", path,
                        "the run directory is damaged; start a new run");
    }
    return run_manifest_from_json(doc, path);
}

// With --resume, what the command line leaves out comes from the run's manifest: the matrix
// file (its absolute path, so a run resumes from any directory), --set and --only.
MatrixFlags complete_from_manifest(const RunFlags& flags) {
    MatrixFlags matrix = flags.matrix;
    if (flags.resume_dir.empty())
        return matrix;
    if (matrix.file.empty() && flags.out_dir.empty()) {
        const RunManifest manifest = manifest_to_resume(flags.resume_dir);
        const bool moved = manifest.matrix_absolute_path.empty() ||
                           !std::filesystem::exists(manifest.matrix_absolute_path);
        matrix.file = moved ? manifest.matrix_path : manifest.matrix_absolute_path;
        if (matrix.settings.empty())
            matrix.settings = manifest.overrides;
        if (matrix.only.empty())
            matrix.only = manifest.only;
    }
    return matrix;
}

void print_summary(const RunSummary& summary) {
    if (summary.storage_failed)
        fmt::print(stderr, "benchctl: error: {}\n", summary.failure);
    fmt::print(stderr, "benchctl: {} done, {} failed{}{}{}; results in {}\n", summary.done,
               summary.failed,
               summary.thresholds_failed
                   ? fmt::format(", {} missed a threshold", summary.thresholds_failed)
                   : "",
               summary.skipped ? fmt::format(", {} done before", summary.skipped) : "",
               summary.interrupted ? ", interrupted" : "", absolute_path(summary.run_dir));
    if (!summary.resume_command.empty())
        fmt::print(stderr, "benchctl: to run what is left: {}\n", summary.resume_command);
}

int exit_code(const RunSummary& summary) {
    if (summary.storage_failed)
        return k_exit_storage;
    if (summary.interrupted)
        return k_exit_interrupted;
    if (summary.failed > 0)
        return k_exit_cells_failed;
    return summary.thresholds_failed > 0 ? k_exit_threshold_failed : 0;
}

int run_run_command(const RunFlags& flags) {
    const MatrixFlags matrix_flags = complete_from_manifest(flags);
    if (matrix_flags.file.empty()) {
        throw UserError("no matrix file", "the MATRIX argument",
                        "name one: benchctl run scenarios/x.yaml (or continue a run with "
                        "--resume DIR)");
    }
    Matrix matrix = load_matrix(matrix_flags.file, matrix_options(matrix_flags, HostChecks::yes));
    RunOptions options;
    options.out_dir = flags.out_dir;
    options.resume_dir = flags.resume_dir;
    options.overrides = matrix_flags.settings;
    options.only = matrix_flags.only;
    options.labels = parse_labels(flags.labels);
    RunControl control;
    install_run_signal_handlers(control);
    ProgressPrinter printer(choose_progress_style(flags.quiet), matrix.repeat);
    // Orphans of a target whose supervisor died come to benchctl (docs/processes.md).
    become_child_subreaper();
    RunEnvironment env = real_run_environment();
    // Every host of hosts: is connected before anything runs, so that an unreachable one or
    // another benchctl version stops the run with exit 2 before its first cell (docs/hosts.md).
    std::optional<AgentHostPool> hosts;
    if (!matrix.hosts.empty()) {
        hosts.emplace(matrix.hosts, flags.copy_binary);
        env.hosts = &*hosts;
    }
    const RunSummary summary = run_matrix(matrix, options, env, control, printer);
    print_summary(summary);
    return exit_code(summary);
}

}  // namespace

CommandAction define_run_command(CLI::App& command) {
    auto flags = std::make_shared<RunFlags>();
    add_matrix_flags(command, flags->matrix, MatrixArgument::optional);
    auto* out = command.add_option("--out", flags->out_dir,
                                   "Run directory (default results/<UTC time>-<matrix name>)");
    auto* resume = command.add_option(
        "--resume", flags->resume_dir,
        "Continue the run in DIR: only the cells not done yet (the matrix, --set and --only "
        "are the run's unless given)");
    out->excludes(resume);
    command.add_option("--label", flags->labels,
                       "Record key=value in the run's manifest (repeatable): --label commit=abc123 "
                       "--label branch=main; history add keeps them");
    command.add_flag("-q,--quiet", flags->quiet, "Print nothing but errors and the summary");
    command.add_flag("--copy-binary", flags->copy_binary,
                     "Copy this benchctl to the cache directory of every host of hosts: that has "
                     "none, or one of another protocol (same architecture; docs/hosts.md)");
    return [flags] { return run_run_command(*flags); };
}

}  // namespace benchctl
