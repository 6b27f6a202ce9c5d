#pragma once

#include <filesystem>
#include <string>

#include "results/cell_record.hpp"
#include "results/run_manifest.hpp"

namespace benchctl {

// The folder of one run: manifest.json, cells/<id>.json, logs/<id>.log. Every file is written
// through a temporary name and a rename, so a crash leaves whole files only.
class RunDirectory {
  public:
    // Creates `path` with cells/ and logs/. Throws UserError when `path` already holds a manifest
    // (a run is never overwritten; use --resume) or cannot be created.
    static RunDirectory create(const std::string& path);

    // Opens an existing run for --resume. Throws UserError when there is no readable manifest.
    static RunDirectory open(const std::string& path);

    // "results/<UTC time>-<name>" under `results_root`, e.g. results/20261123T110311Z-django.
    static std::string default_path(const std::string& results_root, const std::string& name);

    const std::string& path() const { return m_path; }
    std::string log_path(const std::string& cell_id) const;  // absolute or as given
    std::string log_file(const std::string& cell_id) const;  // relative: "logs/<id>.log"

    void write_manifest(const RunManifest& manifest) const;
    RunManifest read_manifest() const;
    // Writes the cell's document; returns its path relative to the run: "cells/<file>". A file
    // already there (a failed or interrupted attempt being resumed) is moved to
    // cells/superseded/<file>.<n> first: no result is ever overwritten.
    std::string write_cell(const CellRecord& record, unsigned repeat) const;

  private:
    void keep_superseded(const std::filesystem::path& file, const std::string& name) const;

    explicit RunDirectory(std::string path) : m_path(std::move(path)) {}
    std::string m_path;
};

}  // namespace benchctl
