#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "launch/resource_usage.hpp"
#include "load/load_result.hpp"
#include "matrix/matrix.hpp"
#include "results/cell_warning.hpp"

namespace benchctl {

// How a cell ended. A failed cell says why; an interrupted one was stopped by a signal.
enum class CellStatus { done, failed, interrupted };

const char* cell_status_name(CellStatus status);  // "done", "failed", "interrupted"

// How one cell measured against one of its thresholds (docs/matrix.md, "Thresholds"), as
// `benchctl run` evaluated it after the load.
struct ThresholdResult {
    std::string metric;      // as the matrix wrote it: "p99"
    std::string expression;  // as the matrix wrote it: "< 250ms"
    // The cell's figure in the metric's unit (ms for p99); absent when the cell's files do not hold
    // it (no request completed, no resources sampled): the threshold then fails.
    std::optional<double> value;
    bool passed = false;

    bool operator==(const ThresholdResult&) const = default;
};

// How one after check (docs/matrix.md, "Checks around each cell") judged the cell: its step's
// output (or the value at its JSON path, or its HTTP status) against the value expected, both
// with the cell's figures filled in.
struct CheckRecord {
    std::string name;
    bool passed = false;
    std::string expected;  // "20"; "success" for a check without expect
    std::string actual;    // "19"; the step's failure when it failed before comparing
    std::string failure;   // why the step itself failed (exit code, status ...); "" otherwise

    bool operator==(const CheckRecord&) const = default;
};

// A service's resource use over one cell's load, sampled as the target's is (its whole process
// tree), and reported apart from the target's.
struct ServiceUsage {
    std::string name;
    std::string kind;  // "postgres", "redis", "nginx", or "command" for one given as a command
    ResourceUsage resources;
};

// What the settle step saw (target.settle): how long it waited after ready for the target to
// fall quiet, and the CPU of the last window it measured.
struct SettleRecord {
    bool settled = false;      // a window fell below the threshold before the timeout
    double seconds = 0;        // ready -> quiet (or -> the timeout)
    double cpu_percent = 0;    // the last window's CPU, % of one core, whole process tree
    double below_percent = 0;  // the threshold
    double window_seconds = 0;
    double timeout_seconds = 0;
};

// Everything one run of one cell produced: the document cells/<id>.json ("benchctl.cell/1",
// documented in docs/results.md). The load part is the `benchctl load` document unchanged.
struct CellRecord {
    std::string cell_id;
    unsigned repetition = 1;            // 1-based
    std::vector<AxisValue> parameters;  // one per axis, in axis order
    CellStatus status = CellStatus::done;
    std::string failure_reason;        // failed / interrupted: why, for people
    std::string log_tail;              // failed: the target log's last lines
    std::string log_file;              // relative to the run directory: "logs/<id>.log"
    std::vector<std::string> command;  // as started, variables filled in
    std::uint16_t port = 0;
    std::uint16_t app_port = 0;  // a target with companions listens here (they on `port`); else 0
    std::string started_at;      // UTC ISO 8601
    std::string ended_at;
    double ready_seconds = 0;                 // start -> ready
    double warmup_seconds = 0;                // ready -> load (the target's warm-up wait)
    bool stopped_gracefully = true;           // ended within the grace period after the stop signal
    unsigned killed_processes = 0;            // processes that needed SIGKILL
    std::string process_tracking;             // "cgroup" or "scan" (ProcessTracking); "" unknown
    bool shared_target = false;               // target.scope: run: started once, not per cell
    std::optional<ResourceUsage> resources;   // sampled over the load
    std::vector<unsigned> target_cpus;        // target.cpus as applied; empty: not pinned
    std::optional<SettleRecord> settle;       // absent: the target has no settle step
    std::vector<unsigned> load_cpus;          // load.cpus as applied; empty: not pinned
    std::vector<ThreadUsage> client_threads;  // the load client's own CPU, per thread
    std::vector<ServiceUsage> services;       // every service of the run, over the same load
    // The target's companions (target.companions: a proxy in front ...), each sampled over the
    // load apart from the target, in start order; kind "nginx" or "command".
    std::vector<ServiceUsage> companions;
    std::optional<nlohmann::json> load;  // benchctl.load/1; absent when the cell failed first
    // load.agents: each agent's part (host, clock offset and round trip, start skew, its
    // benchctl.load/1 document), `load` being their merge; absent for a load run here.
    std::optional<nlohmann::json> agents;
    // Why its figures may not be what they seem (cell_warnings.hpp in the runner), in the order
    // found; empty for a cell nothing was seen wrong with, and in files written before warnings.
    std::vector<CellWarning> warnings;
    // The matrix's thresholds for the cell, evaluated after the load (evaluate_thresholds); empty
    // when it has none or the cell failed before its load. Absent from older documents.
    std::vector<ThresholdResult> thresholds;
    // The matrix's after checks, in order, judged after the load (a failed one fails the cell and
    // keeps its measurements); empty when there are none or the cell failed before its load.
    // Absent from older documents.
    std::vector<CheckRecord> checks;
};

inline constexpr const char* k_cell_schema = "benchctl.cell/1";

nlohmann::json to_json(const CellRecord& record);

// Reads a cell document. Throws UserError naming `where` (the file) and the first missing or
// mistyped field.
CellRecord cell_record_from_json(const nlohmann::json& doc, const std::string& where);

// The file name of a cell's result within cells/: "<id>.json", or "<id>.rep<k>.json" when the
// matrix repeats cells.
std::string cell_file_name(const std::string& cell_id, unsigned repetition, unsigned repeat);

}  // namespace benchctl
