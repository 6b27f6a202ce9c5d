#include "runner/matrix_runner.hpp"

#include <fmt/format.h>

#include <benchctl/version.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>

#include "launch/process_tree.hpp"
#include "results/host_info.hpp"
#include "results/threshold_evaluation.hpp"
#include "runner/cell_runner.hpp"
#include "runner/run_directory.hpp"
#include "runner/service_set.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

RunManifest new_manifest(const Matrix& matrix, const RunOptions& options, const std::string& dir) {
    RunManifest manifest;
    manifest.run_id = std::filesystem::path(dir).filename().string();
    manifest.matrix_path = matrix.file;
    manifest.matrix_text = matrix.text;
    manifest.matrix_name = matrix.name;
    manifest.matrix_title = matrix.title;
    manifest.overrides = options.overrides;
    manifest.labels = options.labels;
    manifest.axes = matrix.axes;
    manifest.host = probe_host();
    manifest.benchctl_version = k_version;
    manifest.benchctl_revision = k_git_revision;
    manifest.started_at = utc_timestamp_now();
    // Repetitions interleave: every cell once, then every cell again.
    for (unsigned repetition = 1; repetition <= matrix.repeat; ++repetition) {
        for (const Cell& cell : matrix.cells) {
            ManifestEntry entry;
            entry.cell_id = cell.id;
            entry.repetition = repetition;
            manifest.cells.push_back(entry);
        }
    }
    return manifest;
}

// --resume: the same matrix (file and --set) or nothing, since mixing results of two matrices
// under one run would make its comparisons meaningless. The manifest holds the file's whole text
// (every benchctl.run/1 manifest does), so the text itself is compared.
void check_resumable(const RunManifest& manifest, const Matrix& matrix, const RunOptions& options,
                     const std::string& dir) {
    if (manifest.matrix_text != matrix.text) {
        throw UserError(fmt::format("the matrix file changed since the run in '{}' began", dir),
                        matrix.file, "start a new run, or restore the file as it was");
    }
    if (manifest.overrides != options.overrides) {
        throw UserError(
            fmt::format("the --set overrides differ from the run in '{}'", dir), "--set",
            fmt::format("repeat them as they were: {}", fmt::join(manifest.overrides, " ")));
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

}  // namespace

RunSummary run_matrix(const Matrix& matrix, const RunOptions& options, RunControl& control,
                      RunObserver& observer) {
    become_child_subreaper();
    bool resuming = !options.resume_dir.empty();
    std::string path = resuming
                           ? options.resume_dir
                           : (options.out_dir.empty()
                                  ? RunDirectory::default_path(options.results_root, matrix.name)
                                  : options.out_dir);
    RunDirectory directory = resuming ? RunDirectory::open(path) : RunDirectory::create(path);
    RunManifest manifest =
        resuming ? directory.read_manifest() : new_manifest(matrix, options, path);
    if (resuming)
        check_resumable(manifest, matrix, options, path);
    manifest.status = RunStatus::running;
    directory.write_manifest(manifest);

    RunSummary summary;
    summary.run_dir = path;
    unsigned total = static_cast<unsigned>(manifest.cells.size());
    for (const ManifestEntry& entry : manifest.cells)
        summary.skipped += entry.status == EntryStatus::done;
    observer.on_run_start(path, total, summary.skipped);

    std::optional<ServiceSet> started_services;
    try {
        started_services.emplace(matrix, directory, control, observer);
    } catch (const UserError& error) {
        // No cell can run without its services: say so in the manifest, then report the error
        // (an interrupt while they started is no error: the run ends as interrupted).
        manifest.status = control.interrupted() ? RunStatus::interrupted : RunStatus::failed;
        manifest.ended_at = utc_timestamp_now();
        directory.write_manifest(manifest);
        if (!control.interrupted())
            throw;
        observer.on_note(error.message());
        summary.interrupted = true;
        return summary;
    }
    ServiceSet& services = *started_services;
    manifest.services = services.manifest_entries();
    directory.write_manifest(manifest);
    CellContext context{matrix, directory, services, control, observer};
    std::map<std::string, std::string> versions_by_command;
    unsigned index = 0;
    for (ManifestEntry& entry : manifest.cells) {
        ++index;
        if (entry.status == EntryStatus::done)
            continue;
        if (control.interrupted())
            break;
        const Cell& cell = find_cell(matrix, entry.cell_id);
        observer.on_cell_start(index, total, cell.id);
        std::string version_key = fmt::format("{}", fmt::join(cell.target.version_command, " "));
        if (!versions_by_command.count(version_key)) {
            VersionProbe probe = probe_version(matrix, cell, directory);
            if (!probe.warning.empty())
                observer.on_note(probe.warning);
            versions_by_command[version_key] = probe.version;
        }
        if (!versions_by_command[version_key].empty()) {
            manifest.tool_versions[cell.id] = versions_by_command[version_key];
        }
        CellRecord record = run_cell(context, cell, entry.repetition);
        // Thresholds (docs/matrix.md) are judged on the finished record, before it is written.
        record.thresholds = evaluate_thresholds(cell.thresholds, record);
        summary.thresholds_failed += failed_thresholds(record.thresholds) > 0 ? 1 : 0;
        entry.status = entry_status(record.status);
        entry.reason = record.failure_reason;
        entry.file = directory.write_cell(record, matrix.repeat);
        directory.write_manifest(manifest);
        observer.on_cell_end(index, total, record);
        summary.done += record.status == CellStatus::done;
        summary.failed += record.status == CellStatus::failed;
        if (index < total)
            control.sleep_unless_interrupted(matrix.cooldown);
    }
    services.stop();
    summary.interrupted = control.interrupted();
    manifest.status = summary.interrupted ? RunStatus::interrupted : RunStatus::complete;
    manifest.ended_at = utc_timestamp_now();
    directory.write_manifest(manifest);
    return summary;
}

}  // namespace benchctl
