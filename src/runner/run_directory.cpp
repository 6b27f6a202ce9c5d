#include "runner/run_directory.hpp"

#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "util/error.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace fs = std::filesystem;

RunDirectory RunDirectory::create(const std::string& path) {
    if (fs::exists(fs::path(path) / "manifest.json")) {
        throw UserError(fmt::format("'{}' already holds a run", path), "--out",
                        "choose another directory, or continue it with --resume");
    }
    std::error_code error;
    fs::create_directories(fs::path(path) / "cells", error);
    if (!error)
        fs::create_directories(fs::path(path) / "logs", error);
    if (error) {
        throw UserError(fmt::format("cannot create '{}': {}", path, error.message()), "--out",
                        "check the path and its permissions");
    }
    return RunDirectory(path);
}

RunDirectory RunDirectory::open(const std::string& path) {
    if (!fs::exists(fs::path(path) / "manifest.json")) {
        throw UserError(fmt::format("'{}' holds no manifest.json", path), "--resume",
                        "point at a directory written by benchctl run");
    }
    fs::create_directories(fs::path(path) / "cells");
    fs::create_directories(fs::path(path) / "logs");
    return RunDirectory(path);
}

std::string RunDirectory::default_path(const std::string& results_root, const std::string& name) {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &utc);
    return (fs::path(results_root) / fmt::format("{}-{}", stamp, name)).string();
}

std::string RunDirectory::log_path(const std::string& cell_id) const {
    return (fs::path(m_path) / log_file(cell_id)).string();
}

std::string RunDirectory::log_file(const std::string& cell_id) const {
    return "logs/" + cell_id + ".log";
}

void RunDirectory::write_manifest(const RunManifest& manifest) const {
    write_file_atomically((fs::path(m_path) / "manifest.json").string(),
                          to_json(manifest).dump(2) + "\n");
}

RunManifest RunDirectory::read_manifest() const {
    std::string where = (fs::path(m_path) / "manifest.json").string();
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(read_file(where, "--resume"));
    } catch (const nlohmann::json::parse_error& e) {
        throw UserError(fmt::format("manifest is not valid JSON: {}", e.what()), where,
                        "the run directory is damaged; start a new run");
    }
    return run_manifest_from_json(doc, where);
}

std::string RunDirectory::write_cell(const CellRecord& record, unsigned repeat) const {
    std::string name = cell_file_name(record.cell_id, record.repetition, repeat);
    std::string relative = "cells/" + name;
    fs::path target = fs::path(m_path) / relative;
    if (fs::exists(target))
        keep_superseded(target, name);
    write_file_atomically(target.string(), to_json(record).dump(2) + "\n");
    return relative;
}

void RunDirectory::keep_superseded(const fs::path& file, const std::string& name) const {
    fs::path folder = fs::path(m_path) / "cells" / "superseded";
    fs::create_directories(folder);
    for (unsigned attempt = 1;; ++attempt) {
        fs::path kept = folder / fmt::format("{}.{}", name, attempt);
        if (!fs::exists(kept)) {
            fs::rename(file, kept);
            return;
        }
    }
}

}  // namespace benchctl
