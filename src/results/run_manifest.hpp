#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "matrix/matrix.hpp"
#include "results/cell_record.hpp"
#include "results/host_info.hpp"

namespace benchctl {

// Where one planned execution of a cell stands: not run yet, or how its last attempt ended.
enum class EntryStatus { pending, done, failed, interrupted };

const char* entry_status_name(EntryStatus status);  // "pending", "done", "failed", "interrupted"
// The entry of a cell whose attempt ended with `status`.
EntryStatus entry_status(CellStatus status);

// One planned execution of a cell, and where it stands.
struct ManifestEntry {
    std::string cell_id;
    unsigned repetition = 1;
    EntryStatus status = EntryStatus::pending;
    std::string file;    // "cells/<id>.json" once written
    std::string reason;  // failed / interrupted
};

// A service of the run as its latest start left it (the manifest's "services").
struct ManifestService {
    std::string name;
    std::string kind;     // "postgres", "redis", "nginx", or "command"
    std::string version;  // the server's own version line; "" when it said none
    std::uint16_t port = 0;
    std::string data;  // "services/<name>/data" (" -> /tmp/..." when linked); "" for a command
    bool keep_data = false;
};

// What one setup step did, as the manifest's "setup" records it (docs/results.md).
struct StepRecord {
    std::string name;
    std::string kind;                // "command" or "http"
    std::string status;              // "ok", "failed" or "interrupted"
    std::optional<int> exit_code;    // a command that exited
    std::optional<int> http_status;  // the response to an HTTP step
    double seconds = 0;
    std::map<std::string, std::string> captures;  // name -> value, as ${setup.<name>}
    std::string failure;                          // why it failed; "" otherwise
    std::string output;  // failed: the output's last lines (a command) or first bytes (HTTP)
    std::string log;     // "logs/setup-<name>.log" for a command; ""
};

// Where a whole run stands: still running, every cell attempted, stopped by a signal, or ended
// by an error (a service that failed, a disk that filled, an internal error: `failure` says).
// `abandoned` is never written: a reader (report, --resume) says it of a manifest that still says
// running while no process holds the run's lock any more (benchctl was killed with SIGKILL, or
// the machine went down).
enum class RunStatus { running, complete, interrupted, failed, abandoned };

// "running", "complete", "interrupted", "failed", "abandoned"
const char* run_status_name(RunStatus status);

// results/<run>/manifest.json ("benchctl.run/1", documented in docs/results.md): what was run,
// where, with which tools, and the state of every cell. Rewritten atomically after each cell, so
// it is always valid and tells what is done.
struct RunManifest {
    std::string run_id;  // the directory's name
    RunStatus status = RunStatus::running;
    std::string matrix_path;           // as given on the command line
    std::string matrix_absolute_path;  // for `run --resume DIR` from another directory
    std::string matrix_sha256;         // as an older benchctl wrote it; new runs: empty
    std::string matrix_text;
    std::string matrix_name;
    std::string matrix_title;
    std::vector<std::string> overrides;  // --set key=value, as given
    std::vector<std::string> only;       // --only terms, as given
    std::vector<Axis> axes;              // nesting order and labels, for reports
    HostInfo host;
    std::string benchctl_version;
    std::string benchctl_revision;
    std::map<std::string, std::string> tool_versions;  // per cell id: its version command's output
    // `benchctl run --label key=value`: what was measured (commit, branch ...), for history and
    // reports. Empty in manifests written before labels existed.
    std::map<std::string, std::string> labels;
    std::vector<ManifestService> services;  // in start order
    // The hosts of `hosts:` as their agents described themselves (HostPool::fingerprints): name ->
    // {transport, protocol, benchctl, host}. Absent when the matrix names no host.
    std::optional<nlohmann::json> hosts;
    std::vector<StepRecord> setup;  // the setup steps of the latest start, in order
    std::string started_at;
    std::string ended_at;
    std::string failure;  // RunStatus::failed: what ended the run and what to do, for people
    std::vector<ManifestEntry> cells;
};

inline constexpr const char* k_run_schema = "benchctl.run/1";

// The lock file of a run directory, "<dir>/run.lock": held (flock) by the benchctl writing the
// run, with who it is (pid, host, start) as one JSON line.
std::string run_lock_path(const std::string& run_dir);

nlohmann::json to_json(const RunManifest& manifest);

// Reads a manifest. Throws UserError naming `where` when it is not a benchctl.run/1 document, the
// path of the first missing or mistyped field ("field cells[2].status must be ..."), or a cell
// `file` that is not a plain relative path inside the run directory ("/etc/x", "../../x").
RunManifest run_manifest_from_json(const nlohmann::json& doc, const std::string& where);

}  // namespace benchctl
