#include "report/model/run_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "results/cell_metrics.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/files.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_damaged_hint =
    "the run directory is damaged; re-run the cell with 'benchctl run --resume', or restore the "
    "file";

nlohmann::json read_json_file(const fs::path& path, const char* what) {
    const std::string where = path.string();
    std::string text = read_file(where, where);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw UserError(fmt::format("{} is not valid JSON ({})", what, e.what()), where,
                        k_damaged_hint);
    }
}

RunManifest read_manifest(const fs::path& directory) {
    const fs::path path = directory / "manifest.json";
    if (!fs::is_regular_file(path)) {
        throw UserError("no run manifest (manifest.json) in this directory", directory.string(),
                        "give a run directory written by 'benchctl run' (results/<run-id>)");
    }
    return run_manifest_from_json(read_json_file(path, "the manifest"), path.string());
}

// The cell's file: the manifest's record of it, else the name benchctl run would have given it
// (a run stopped between writing a cell and the manifest).
fs::path cell_path(const fs::path& directory, const ManifestEntry& entry, unsigned repeat) {
    if (!entry.file.empty())
        return directory / entry.file;
    return directory / "cells" / cell_file_name(entry.cell_id, entry.repetition, repeat);
}

void attach_record(CellReport& cell, const fs::path& path, std::string relative) {
    const std::string where = path.string();
    CellRecord record = cell_record_from_json(read_json_file(path, "the cell file"), where);
    if (record.load) {
        cell.load = from_load_document(JsonField(*record.load, where, k_damaged_hint, "load"));
        cell.metrics =
            compute_cell_metrics(*cell.load, record.resources, record.services, record.companions);
    }
    cell.status = entry_status(record.status);
    cell.parameters = record.parameters;
    cell.warnings = record.warnings;
    if (!record.failure_reason.empty())
        cell.failure_reason = record.failure_reason;
    cell.file = std::move(relative);
    cell.record = std::move(record);
}

CellReport read_cell(const fs::path& directory, const RunManifest& manifest,
                     const ManifestEntry& entry, unsigned repeat) {
    CellReport cell;
    cell.cell_id = entry.cell_id;
    cell.repetition = entry.repetition;
    cell.status = entry.status;
    cell.failure_reason = entry.reason;
    cell.parameters = parameters_from_cell_id(entry.cell_id, manifest.axes);
    const fs::path path = cell_path(directory, entry, repeat);
    if (fs::is_regular_file(path)) {
        attach_record(cell, path, fs::relative(path, directory).string());
    } else if (entry.status == EntryStatus::done || entry.status == EntryStatus::failed ||
               !entry.file.empty()) {
        throw UserError(fmt::format("cell '{}' has no result file", entry.cell_id), path.string(),
                        k_damaged_hint);
    }
    return cell;
}

// Runs written before values had default labels labelled a value "1" as "1": a heading "### 1"
// says nothing. Such a label (the bare name, starting with a digit) reads as the matrix now
// writes it, "workers=1".
void relabel_bare_numbers(std::vector<AxisValue>& values) {
    for (AxisValue& value : values) {
        if (value.label == value.name || value.label.empty())
            value.label = default_label(value.axis, value.name);
    }
}

void relabel_bare_numbers(RunReport& run) {
    for (Axis& axis : run.manifest.axes)
        relabel_bare_numbers(axis.values);
    for (CellReport& cell : run.cells)
        relabel_bare_numbers(cell.parameters);
}

// A manifest still saying running is a run in progress while its benchctl holds the run's lock,
// else one that was abandoned (killed with SIGKILL, the machine went down, its disk filled up).
void mark_abandoned(RunReport& run) {
    if (run.manifest.status == RunStatus::running &&
        !is_file_locked(run_lock_path(run.directory))) {
        run.manifest.status = RunStatus::abandoned;
    }
}

}  // namespace

bool is_suspect(const CellReport& cell) {
    for (const CellWarning& warning : cell.warnings) {
        if (warning.severity == WarningSeverity::suspect)
            return true;
    }
    return false;
}

std::string RunReport::title() const {
    if (!manifest.matrix_title.empty())
        return manifest.matrix_title;
    if (!manifest.matrix_name.empty())
        return manifest.matrix_name;
    return manifest.run_id;
}

std::vector<AxisValue> parameters_from_cell_id(const std::string& cell_id,
                                               const std::vector<Axis>& axes) {
    std::vector<AxisValue> values;
    std::string rest = cell_id;
    for (const Axis& axis : axes) {
        const AxisValue* match = nullptr;
        for (const AxisValue& value : axis.values) {
            const bool prefix = rest.compare(0, value.name.size(), value.name) == 0;
            const bool whole =
                prefix && (rest.size() == value.name.size() || rest[value.name.size()] == '.');
            if (whole && (match == nullptr || value.name.size() > match->name.size()))
                match = &value;
        }
        if (match == nullptr) {
            const std::string part = rest.substr(0, rest.find('.'));
            values.push_back({axis.name, part, part, {}});
        } else {
            values.push_back(*match);
        }
        const std::size_t used = values.back().name.size();
        rest = used < rest.size() ? rest.substr(used + 1) : "";
    }
    return values;
}

RunReport read_run(const std::string& directory) {
    RunReport run;
    run.directory = directory;
    run.manifest = read_manifest(directory);
    for (const ManifestEntry& entry : run.manifest.cells)
        run.repeat = std::max(run.repeat, entry.repetition);
    for (const ManifestEntry& entry : run.manifest.cells)
        run.cells.push_back(read_cell(directory, run.manifest, entry, run.repeat));
    relabel_bare_numbers(run);
    mark_abandoned(run);
    return run;
}

}  // namespace benchctl
