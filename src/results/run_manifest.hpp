#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "matrix/matrix.hpp"
#include "results/host_info.hpp"

namespace benchctl {

// One planned execution of a cell, and where it stands.
struct ManifestEntry {
    std::string cell_id;
    unsigned repetition = 1;
    std::string status = "pending";  // pending, done, failed, interrupted
    std::string file;                // "cells/<id>.json" once written
    std::string reason;              // failed / interrupted
};

// results/<run>/manifest.json ("benchctl.run/1", documented in docs/results.md): what was run,
// where, with which tools, and the state of every cell. Rewritten atomically after each cell, so
// it is always valid and tells what is done.
struct RunManifest {
    std::string run_id;              // the directory's name
    std::string status = "running";  // running, complete, interrupted, failed (a service)
    std::string matrix_path;
    std::string matrix_sha256;
    std::string matrix_text;
    std::string matrix_name;
    std::string matrix_title;
    std::vector<std::string> overrides;  // --set key=value, as given
    std::vector<Axis> axes;              // nesting order and labels, for reports
    HostInfo host;
    std::string benchctl_version;
    std::string benchctl_revision;
    std::map<std::string, std::string> tool_versions;  // per cell id: its version command's output
    std::string started_at;
    std::string ended_at;
    std::vector<ManifestEntry> cells;
};

inline constexpr const char* k_run_schema = "benchctl.run/1";

nlohmann::json to_json(const RunManifest& manifest);

// Reads a manifest. Throws UserError naming `where` when it is not a benchctl.run/1 document.
RunManifest run_manifest_from_json(const nlohmann::json& doc, const std::string& where);

}  // namespace benchctl
