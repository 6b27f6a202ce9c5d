#include "import/imported_run.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <benchctl/version.hpp>
#include <filesystem>
#include <map>
#include <set>

#include "import/label_slug.hpp"
#include "runner/run_directory.hpp"
#include "util/clock.hpp"
#include "util/disk_interface.hpp"
#include "util/error.hpp"

namespace benchctl {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_plain_axis = "run";
constexpr const char* k_missing_label = "(none)";

// One cell found in one source, with its labels complete.
struct FoundCell {
    ImportedCell cell;
    std::string started_at;
};

std::string file_stem(const std::string& file) {
    const std::string stem = fs::path(file).stem().string();
    return stem.empty() ? file : stem;
}

// Names the cells of a source that has no labels of its own after its file.
void label_by_file(ImportedDocument& document, const std::string& file) {
    const std::size_t count = document.cells.size();
    for (std::size_t i = 0; i < count; ++i) {
        ImportedCell& cell = document.cells[i];
        if (!cell.labels.empty())
            continue;
        cell.labels = {count == 1 ? file_stem(file)
                                  : fmt::format("{} #{}", file_stem(file), i + 1)};
        document.axis_names = {k_plain_axis};
    }
}

std::vector<std::string> axis_names(const std::vector<ImportedDocument>& documents,
                                    const ImportOptions& options, std::size_t depth) {
    if (!options.axes.empty()) {
        if (options.axes.size() != depth) {
            throw UserError(fmt::format("{} axis names given, but the sources name their cells "
                                        "with {} level{}",
                                        options.axes.size(), depth, depth == 1 ? "" : "s"),
                            "--axes", fmt::format("give {} comma-separated names", depth));
        }
        std::set<std::string> seen;
        for (const std::string& name : options.axes) {
            if (name.empty() || !seen.insert(name).second) {
                throw UserError(fmt::format("axis name '{}' is empty or given twice", name),
                                "--axes", "give each axis its own name");
            }
        }
        return options.axes;
    }
    for (const ImportedDocument& document : documents) {
        if (document.axis_names.size() == depth)
            return document.axis_names;
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < depth; ++i)
        names.push_back(fmt::format("level{}", i + 1));
    return names;
}

// The axes and, per cell, its values: one value per distinct label, in order of appearance.
// Labels are found through an index, so building n cells takes O(n log n), not O(n^2).
class AxisBuilder {
  public:
    explicit AxisBuilder(const std::vector<std::string>& names)
        : m_taken(names.size()), m_index(names.size()) {
        for (const std::string& name : names)
            m_axes.push_back({name, {}});
    }

    std::vector<AxisValue> values_for(const std::vector<std::string>& labels) {
        std::vector<AxisValue> values;
        for (std::size_t i = 0; i < m_axes.size(); ++i) {
            const std::string label = i < labels.size() ? labels[i] : k_missing_label;
            values.push_back(value_for(i, label));
        }
        return values;
    }

    const std::vector<Axis>& axes() const { return m_axes; }

  private:
    AxisValue value_for(std::size_t axis, const std::string& label) {
        std::vector<AxisValue>& values = m_axes[axis].values;
        const auto [found, added] = m_index[axis].try_emplace(label, values.size());
        if (!added)
            return values[found->second];
        values.push_back({m_axes[axis].name, unique_slug(label, m_taken[axis]), label, {}});
        return values.back();
    }

    std::vector<Axis> m_axes;
    std::vector<std::set<std::string>> m_taken;
    std::vector<std::map<std::string, std::size_t>> m_index;  // per axis: label -> value
};

std::string cell_id_of(const std::vector<AxisValue>& values) {
    std::vector<std::string> names;
    for (const AxisValue& value : values)
        names.push_back(value.name);
    return fmt::format("{}", fmt::join(names, "."));
}

CellRecord cell_record(const FoundCell& found, std::vector<AxisValue> values, unsigned repetition) {
    CellRecord record;
    record.cell_id = cell_id_of(values);
    record.repetition = repetition;
    record.parameters = std::move(values);
    record.status = CellStatus::done;
    record.started_at = found.started_at;
    record.ended_at = found.started_at;
    LoadResult result = found.cell.result;
    result.started_at = found.started_at;
    record.load = to_imported_load_document(found.cell.settings, result, found.cell.summary);
    return record;
}

// The sources' text, kept in the manifest as a matrix's text is, so the import can be redone.
std::string sources_text(const std::vector<SourceText>& sources) {
    if (sources.size() == 1)
        return sources.front().text;
    std::string text;
    for (const SourceText& source : sources)
        text += fmt::format("==> {} <==\n{}\n", source.file, source.text);
    return text;
}

RunManifest manifest_for(const std::vector<SourceText>& sources, const std::string& run_id,
                         const std::string& name, const std::string& title,
                         const std::string& started_at) {
    RunManifest manifest;
    manifest.run_id = run_id;
    manifest.status = RunStatus::complete;
    std::vector<std::string> files;
    for (const SourceText& source : sources)
        files.push_back(source.file);
    manifest.matrix_path = fmt::format("{}", fmt::join(files, ", "));
    manifest.matrix_text = sources_text(sources);
    manifest.matrix_name = name;
    manifest.matrix_title = title.empty() ? name : title;
    manifest.benchctl_version = k_version;
    manifest.benchctl_revision = k_git_revision;
    manifest.started_at = started_at;
    manifest.ended_at = started_at;
    return manifest;
}

}  // namespace

ImportedRun build_imported_run(const std::vector<SourceText>& sources, const ImportOptions& options,
                               const std::string& run_id) {
    std::vector<ImportedDocument> documents;
    std::vector<FoundCell> found;
    std::size_t depth = 0;
    for (const SourceText& source : sources) {
        const ImportFormat format = options.format ? *options.format : detect_import_format(source);
        ImportedDocument document = parse_import_source(source, format);
        label_by_file(document, source.file);
        for (const ImportedCell& cell : document.cells) {
            depth = std::max(depth, cell.labels.size());
            found.push_back({cell, document.started_at});
        }
        documents.push_back(std::move(document));
    }
    const std::string name = imported_run_name(options, sources);
    // Without a heading, the run is titled as the user named it, or by its file as written.
    std::string title;
    std::string started_at;
    for (const ImportedDocument& document : documents) {
        title = title.empty() ? document.title : title;
        started_at = started_at.empty() ? document.started_at : started_at;
    }

    if (title.empty())
        title = options.name.empty() ? file_stem(sources.front().file) : options.name;
    ImportedRun run;
    run.manifest = manifest_for(sources, run_id, name, title, started_at);
    AxisBuilder axes(axis_names(documents, options, depth));
    std::map<std::string, unsigned> repetitions;
    for (const FoundCell& cell : found) {
        std::vector<AxisValue> values = axes.values_for(cell.cell.labels);
        const unsigned repetition = ++repetitions[cell_id_of(values)];
        run.repeat = std::max(run.repeat, repetition);
        run.cells.push_back(cell_record(cell, std::move(values), repetition));
    }
    run.manifest.axes = axes.axes();
    for (const CellRecord& cell : run.cells) {
        run.manifest.cells.push_back(
            {cell.cell_id, cell.repetition, EntryStatus::done,
             "cells/" + cell_file_name(cell.cell_id, cell.repetition, run.repeat), ""});
    }
    return run;
}

std::string imported_run_name(const ImportOptions& options,
                              const std::vector<SourceText>& sources) {
    if (options.name.empty())
        return slug_for_label(file_stem(sources.front().file));
    if (!is_run_name(options.name)) {
        throw UserError(fmt::format("malformed run name '{}'", options.name), "--name",
                        "use lowercase letters, digits, '-' and '_', as a matrix's name: the "
                        "name becomes the run directory's");
    }
    return options.name;
}

void check_import_destination(const std::string& path) {
    std::error_code error;
    if (fs::exists(path, error) && !fs::is_empty(path, error)) {
        throw UserError(fmt::format("'{}' already exists and is not empty", path), "--out",
                        "an import never overwrites; choose a new directory");
    }
    // The nearest directory that exists is where the new ones will be made.
    fs::path existing = fs::absolute(path, error).parent_path();
    while (!existing.empty() && !fs::exists(existing, error) && existing != existing.parent_path())
        existing = existing.parent_path();
    if (!fs::is_directory(existing, error) || access(existing.c_str(), W_OK) != 0) {
        throw UserError(fmt::format("cannot create '{}': '{}' is not a writable directory", path,
                                    existing.string()),
                        "--out", "choose a directory you can write");
    }
}

void write_imported_run(const ImportedRun& run, const std::string& path) {
    check_import_destination(path);
    const RunDirectory directory =
        RunDirectory::create(real_disk(), path, LockHolder::current(utc_timestamp_now()));
    // One flush for all the cells, then the manifest that names them (an fsync per cell took
    // minutes for 20,000 cells; the import can be redone from its sources anyway).
    for (const CellRecord& cell : run.cells)
        directory.write_cell(cell, run.repeat, FileSync::deferred);
    directory.sync();
    directory.write_manifest(run.manifest);
}

}  // namespace benchctl
