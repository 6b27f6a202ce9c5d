#include "runner/matrix_runner.hpp"

#include <fmt/format.h>

#include <benchctl/version.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "results/host_info.hpp"
#include "results/threshold_evaluation.hpp"
#include "runner/cell_runner.hpp"
#include "runner/run_directory.hpp"
#include "runner/service_set.hpp"
#include "runner/step_runner.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;

// A run being executed: its locked directory, its manifest, and what the steps share.
struct Run {
    const Matrix& matrix;
    RunEnvironment& env;
    RunControl& control;
    RunObserver& observer;
    RunDirectory directory;
    RunManifest manifest;
    RunSummary summary;
};

std::string absolute(const std::string& path) {
    std::error_code ignored;
    const fs::path full = fs::absolute(path, ignored);
    return full.empty() ? path : full.lexically_normal().string();
}

RunManifest new_manifest(const Run& run, const RunOptions& options) {
    RunManifest manifest;
    manifest.run_id = fs::path(run.directory.path()).lexically_normal().filename().string();
    manifest.matrix_path = run.matrix.file;
    manifest.matrix_absolute_path = absolute(run.matrix.file);
    manifest.matrix_text = run.matrix.text;
    manifest.matrix_name = run.matrix.name;
    manifest.matrix_title = run.matrix.title;
    manifest.overrides = options.overrides;
    manifest.only = options.only;
    manifest.labels = options.labels;
    manifest.axes = run.matrix.axes;
    manifest.host = probe_host();
    manifest.benchctl_version = k_version;
    manifest.benchctl_revision = k_git_revision;
    manifest.started_at = run.env.clock.utc_timestamp();
    // Repetitions interleave: every cell once, then every cell again.
    for (unsigned repetition = 1; repetition <= run.matrix.repeat; ++repetition) {
        for (const Cell& cell : run.matrix.cells)
            manifest.cells.push_back({cell.id, repetition, EntryStatus::pending, "", ""});
    }
    return manifest;
}

// --resume: the same matrix (file, --set and --only) or nothing, since mixing results of two
// matrices under one run would make its comparisons meaningless. The manifest holds the file's
// whole text, so the text itself is compared.
void check_resumable(const RunManifest& manifest, const Matrix& matrix, const RunOptions& options,
                     const std::string& dir) {
    if (manifest.matrix_text != matrix.text) {
        throw UserError(fmt::format("the matrix file changed since the run in '{}' began", dir),
                        matrix.file, "start a new run, or restore the file as it was");
    }
    if (manifest.overrides != options.overrides) {
        throw UserError(fmt::format("the --set overrides differ from the run in '{}'", dir),
                        "--set",
                        fmt::format("repeat them as they were, or leave them out: {}",
                                    fmt::join(manifest.overrides, " ")));
    }
    if (manifest.only != options.only) {
        throw UserError(fmt::format("the --only terms differ from the run in '{}'", dir), "--only",
                        fmt::format("repeat them as they were, or leave them out: {}",
                                    fmt::join(manifest.only, " ")));
    }
}

const Cell& find_cell(const Matrix& matrix, const std::string& id) {
    for (const Cell& cell : matrix.cells) {
        if (cell.id == id)
            return cell;
    }
    throw UserError(fmt::format("cell '{}' of the manifest is not in the matrix", id), matrix.file,
                    "start a new run");
}

// --resume: a cell the manifest says is done must still have its whole file, or it is measured
// again (its damaged file is moved aside when the new one is written); a cell not yet done whose
// whole, done file is there (written just before benchctl was killed, the manifest not yet
// rewritten) is taken as done.
void check_entries(Run& run) {
    for (ManifestEntry& entry : run.manifest.cells) {
        const std::string expected =
            "cells/" + cell_file_name(entry.cell_id, entry.repetition, run.matrix.repeat);
        if (entry.status == EntryStatus::done) {
            const std::string file = entry.file.empty() ? expected : entry.file;
            if (std::optional<std::string> problem =
                    run.directory.check_cell_file(file, entry, CellStatus::done)) {
                run.observer.on_note(fmt::format("cell {} (repetition {}) is measured again: {}",
                                                 entry.cell_id, entry.repetition, *problem));
                entry.status = EntryStatus::pending;
                entry.reason = *problem;
            }
        } else if (!run.directory.check_cell_file(expected, entry, CellStatus::done)) {
            run.observer.on_note(
                fmt::format("cell {} (repetition {}): {} was written but not "
                            "recorded; it is kept as done",
                            entry.cell_id, entry.repetition, expected));
            entry.status = EntryStatus::done;
            entry.file = expected;
            entry.reason.clear();
        }
    }
}

// Creates the run directory, or opens the one to resume; both lock it.
Run open_run(const Matrix& matrix, const RunOptions& options, RunEnvironment& env,
             RunControl& control, RunObserver& observer) {
    const LockHolder holder = LockHolder::current(env.clock.utc_timestamp());
    if (options.resume_dir.empty()) {
        const std::string path = options.out_dir.empty()
                                     ? RunDirectory::default_path(options.results_root, matrix.name)
                                     : options.out_dir;
        Run run{matrix, env, control, observer, RunDirectory::create(env.disk, path, holder),
                {},     {}};
        run.manifest = new_manifest(run, options);
        return run;
    }
    std::optional<LockHolder> previous;
    Run run{matrix,
            env,
            control,
            observer,
            RunDirectory::open(env.disk, options.resume_dir, holder, &previous),
            {},
            {}};
    run.manifest = run.directory.read_manifest();
    if (run.manifest.status == RunStatus::running) {
        observer.on_note(fmt::format(
            "the run in '{}' was abandoned ({} ended without finishing it: killed, the machine "
            "went down, or its disk filled up); resuming it",
            options.resume_dir, previous ? "benchctl " + previous->describe() : "its benchctl"));
    }
    check_resumable(run.manifest, matrix, options, options.resume_dir);
    check_entries(run);
    return run;
}

// The manifest says running; the observer hears the plan.
void start_run(Run& run) {
    run.summary.run_dir = run.directory.path();
    run.manifest.status = RunStatus::running;
    run.manifest.failure.clear();
    run.manifest.ended_at.clear();
    run.directory.write_manifest(run.manifest);
    for (const ManifestEntry& entry : run.manifest.cells)
        run.summary.skipped += entry.status == EntryStatus::done;
    run.observer.on_run_start(run.directory.path(),
                              static_cast<unsigned>(run.manifest.cells.size()),
                              run.summary.skipped);
}

// The tool versions of the cell's target, once per distinct version command.
void note_versions(Run& run, const CellContext& context, const Cell& cell,
                   std::map<std::string, std::string>& by_command) {
    const std::string key = fmt::format("{}", fmt::join(cell.target.version_command, " "));
    if (!by_command.count(key)) {
        VersionProbe probe = probe_version(context, cell);
        if (!probe.warning.empty())
            run.observer.on_note(probe.warning);
        by_command[key] = probe.version;
    }
    if (!by_command[key].empty())
        run.manifest.tool_versions[cell.id] = by_command[key];
}

// Where a cell's document goes when the run directory refuses it: a directory of the system's
// temporary directory (TMPDIR), usually another file system. Returns the path, or "" when that
// fails too and the document was printed instead.
std::string rescue_cell(Run& run, const CellRecord& record, const std::string& relative) {
    const std::string text = to_json(record).dump(2) + "\n";
    std::error_code ignored;
    const fs::path folder =
        fs::temp_directory_path(ignored) / ("benchctl-rescue-" + run.manifest.run_id);
    const fs::path file = folder / fs::path(relative).filename();
    try {
        run.env.disk.make_directories(folder.string());
        run.env.disk.write_file(file.string(), text);
        return file.string();
    } catch (const UserError&) {
        run.observer.on_note(fmt::format(
            "the document of cell {} could not be written anywhere; here it is, to be saved as "
            "{}/{}:\n{}",
            record.cell_id, run.directory.path(), relative, text));
        return "";
    }
}

// The cell's file, then the manifest. False when the file could not be written: its document is
// rescued, the manifest says failed and why, and the run stops.
bool store_cell(Run& run, ManifestEntry& entry, const CellRecord& record) {
    try {
        entry.file = run.directory.write_cell(record, run.matrix.repeat);
    } catch (const UserError& error) {
        const std::string relative = run.directory.cell_file(record, run.matrix.repeat);
        run.summary.storage_failed = true;
        run.summary.rescued = rescue_cell(run, record, relative);
        const std::string kept =
            run.summary.rescued.empty()
                ? "its document was printed above"
                : fmt::format("its document is kept in {}", run.summary.rescued);
        run.summary.failure = fmt::format(
            "the result of cell {} could not be written ({}); {}. Free space, then copy that "
            "document to {}/{} to keep this measurement, and continue with '{}'",
            record.cell_id, error.what(), kept, run.directory.path(), relative,
            resume_command(run.directory.path()));
        entry.reason = fmt::format("not stored: {}", error.what());
        return false;
    }
    entry.status = entry_status(record.status);
    entry.reason = record.failure_reason;
    try {
        run.directory.write_manifest(run.manifest);
    } catch (const StorageError& error) {
        // The cell's file is whole, so the measurement is safe: --resume takes a whole cell file
        // the manifest had not recorded yet as done.
        run.summary.storage_failed = true;
        run.summary.failure = fmt::format(
            "the manifest could not be updated after cell {} ({}); its result is kept in {}/{}. "
            "Free space, then continue with '{}'",
            record.cell_id, error.what(), run.directory.path(), entry.file,
            resume_command(run.directory.path()));
        return false;
    }
    return true;
}

// Whether another entry after `index` still has to run (a cooldown before it makes sense).
bool more_to_run(const RunManifest& manifest, std::size_t index) {
    for (std::size_t i = index + 1; i < manifest.cells.size(); ++i) {
        if (manifest.cells[i].status != EntryStatus::done)
            return true;
    }
    return false;
}

// The manifest says interrupted; what start_services and run_setup do on an interrupt.
void stop_interrupted(Run& run) {
    run.manifest.status = RunStatus::interrupted;
    run.manifest.ended_at = run.env.clock.utc_timestamp();
    run.directory.write_manifest(run.manifest);
    run.summary.interrupted = true;
    run.summary.status = RunStatus::interrupted;
}

// Records the hosts' fingerprints, starts the run's services and records them in the manifest.
// False when the run was interrupted while they started: that is no error, the manifest says
// interrupted. Any other failure throws (run_matrix records it).
bool start_services(Run& run, std::optional<ServiceSet>& services) {
    if (run.env.hosts != nullptr) {
        run.manifest.hosts = run.env.hosts->fingerprints();
        run.directory.write_manifest(run.manifest);
    }
    try {
        services.emplace(run.matrix, run.directory, run.env.launcher, run.control, run.observer,
                         run.env.hosts);
    } catch (const UserError& error) {
        if (!run.control.interrupted())
            throw;
        run.observer.on_note(error.message());
        stop_interrupted(run);
        return false;
    }
    if (!run.matrix.services.empty()) {
        run.manifest.services = services->manifest_entries();
        run.directory.write_manifest(run.manifest);
    }
    return true;
}

// The setup steps, in order, each recorded in the manifest as it ends; their captures join
// `variables` as "setup.<name>". False when the run was interrupted (the manifest says so).
// Throws UserError naming the step, with its output's tail, when one fails (run_matrix records
// it: the run fails before any cell; the services stop as the ServiceSet goes).
bool run_setup(Run& run, Variables& variables) {
    run.manifest.setup.clear();
    const StepContext context{run.matrix, run.directory, run.env, run.control};
    for (const StepSpec& step : run.matrix.setup) {
        if (run.control.interrupted())
            break;
        run.observer.on_note(fmt::format("setup: {}", step.name));
        const RuntimeValues values{0, run.directory.path(), "setup", variables};
        StepRecord record = run_step(context, step, values, step_log("setup", step.name));
        run.manifest.setup.push_back(record);
        run.directory.write_manifest(run.manifest);
        if (record.status == "failed") {
            throw UserError(
                fmt::format("setup step '{}' failed: {}", step.name, record.failure),
                step.where.to_string(),
                record.output.empty()
                    ? "no cell was run; fix the step and run again"
                    : fmt::format("no cell was run; its output ends with:\n{}", record.output));
        }
        for (const auto& [name, value] : record.captures)
            variables["setup." + name] = value;
    }
    if (run.control.interrupted()) {
        run.observer.on_note("interrupted during the setup steps; no cell was run");
        stop_interrupted(run);
        return false;
    }
    return true;
}

void run_cells(Run& run, const ServiceSet& services, const Variables& variables) {
    // Stopped when the cells end, however they end.
    SharedTarget shared(run.control, run.observer);
    CellContext context{run.matrix,  run.directory, services,  run.env,
                        run.control, run.observer,  variables, &shared};
    std::map<std::string, std::string> versions_by_command;
    const auto total = static_cast<unsigned>(run.manifest.cells.size());
    for (std::size_t i = 0; i < run.manifest.cells.size(); ++i) {
        ManifestEntry& entry = run.manifest.cells[i];
        if (entry.status == EntryStatus::done)
            continue;
        if (run.control.interrupted())
            break;
        const Cell& cell = find_cell(run.matrix, entry.cell_id);
        const auto index = static_cast<unsigned>(i + 1);
        run.observer.on_cell_start(index, total, cell.id);
        note_versions(run, context, cell, versions_by_command);
        CellRecord record = run_cell(context, cell, entry.repetition);
        // Thresholds (docs/matrix.md) are judged on the finished record, before it is written.
        record.thresholds = evaluate_thresholds(cell.thresholds, record);
        run.summary.thresholds_failed += failed_thresholds(record.thresholds) > 0 ? 1 : 0;
        if (!store_cell(run, entry, record))
            return;
        run.observer.on_cell_end(index, total, record);
        run.summary.done += record.status == CellStatus::done;
        run.summary.failed += record.status == CellStatus::failed;
        if (more_to_run(run.manifest, i))
            run.control.sleep_unless_interrupted(run.env.clock, run.matrix.cooldown);
    }
}

// The manifest's last word: complete, interrupted, or failed (a cell that could not be stored).
void end_run(Run& run) {
    run.summary.interrupted = run.control.interrupted();
    if (run.summary.storage_failed) {
        run.manifest.status = RunStatus::failed;
        run.manifest.failure = run.summary.failure;
    } else {
        run.manifest.status =
            run.summary.interrupted ? RunStatus::interrupted : RunStatus::complete;
    }
    run.manifest.ended_at = run.env.clock.utc_timestamp();
    run.summary.status = run.manifest.status;
    for (const ManifestEntry& entry : run.manifest.cells) {
        if (entry.status != EntryStatus::done)
            run.summary.resume_command = resume_command(run.directory.path());
    }
    try {
        run.directory.write_manifest(run.manifest);
    } catch (const UserError& error) {
        if (!run.summary.storage_failed)
            throw;
        // The disk is full: the manifest on disk still says running, which report and
        // --resume read as abandoned; the summary tells the rest.
        run.observer.on_note(
            fmt::format("the manifest could not be updated either: {}", error.what()));
    }
}

// On the way out of an exception: the manifest says what happened, if the disk lets it.
void record_failure(Run& run, const std::string& reason) {
    run.manifest.status = run.control.interrupted() ? RunStatus::interrupted : RunStatus::failed;
    run.manifest.failure = reason;
    run.manifest.ended_at = run.env.clock.utc_timestamp();
    try {
        run.directory.write_manifest(run.manifest);
    } catch (const std::exception& error) {
        run.observer.on_note(fmt::format("the manifest could not be updated: {}", error.what()));
    }
}

}  // namespace

std::string resume_command(const std::string& run_dir) {
    const std::string path = absolute(run_dir);
    const bool plain = path.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789_./:-+=@%,") == std::string::npos;
    if (plain)
        return "benchctl run --resume " + path;
    std::string quoted = "'";
    for (const char c : path)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return "benchctl run --resume " + quoted + "'";
}

RunSummary run_matrix(const Matrix& matrix, const RunOptions& options, RunEnvironment& env,
                      RunControl& control, RunObserver& observer) {
    Run run = open_run(matrix, options, env, control, observer);
    try {
        start_run(run);
        std::optional<ServiceSet> services;
        if (!start_services(run, services))
            return run.summary;
        Variables variables = services->variables();
        if (!run_setup(run, variables))
            return run.summary;
        run_cells(run, *services, variables);
        services->stop();
        end_run(run);
    } catch (const UserError& error) {
        record_failure(run, error.message());
        throw;
    } catch (const std::exception& error) {
        record_failure(run, fmt::format("internal error: {}", error.what()));
        throw;
    } catch (...) {
        record_failure(run, "internal error");
        throw;
    }
    return run.summary;
}

}  // namespace benchctl
