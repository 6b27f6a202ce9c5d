#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "launch/readiness_spec.hpp"
#include "load/load_spec.hpp"
#include "metrics/threshold.hpp"
#include "services/service_config.hpp"
#include "util/source_location.hpp"

namespace benchctl {

// The settle step: after ready, wait until the target's whole process tree uses less than
// `cpu_below_percent` of one core over `window` (workers booting, caches filling, JIT warming),
// for at most `timeout`; a target still busy then is measured anyway and its cell flagged.
struct SettleSpec {
    double cpu_below_percent = 5;
    std::chrono::nanoseconds window = std::chrono::seconds(1);
    std::chrono::nanoseconds timeout = std::chrono::seconds(30);
};

struct CompanionSpec;

// How to start and stop one process tree. Strings may still hold the run-time variables
// ${port}, ${run_dir}, ${cell} and ${<service>.port}, and "$$" for a literal '$'; the runner's
// substitute_variables pass fills them in.
struct TargetSpec {
    std::vector<std::string> command;  // argv, no shell
    std::optional<std::string> shell;  // or a command line for /bin/sh -c, when asked for
    std::string cwd;                   // relative to the matrix file's directory; "" = that dir
    std::map<std::string, std::string> env;  // added to benchctl's environment
    ReadinessSpec ready;
    std::chrono::nanoseconds warmup{0};  // wait after ready, before load (not measured)
    int stop_signal = 15;                // SIGTERM
    std::chrono::nanoseconds stop_grace = std::chrono::seconds(5);  // then SIGKILL
    std::vector<std::string> version_command;  // prints the server's version; optional
    std::vector<unsigned> cpus;                // pinned to these CPUs at spawn; empty: not pinned
    std::optional<SettleSpec> settle;          // wait for quiet after ready; absent: no wait
    // `scope: run`: one instance serves every cell with the same command, shell, cwd, env and
    // cpus (started when the first needs it, stopped at the end); false: one per cell.
    bool shared = false;
    // The name of the `hosts:` entry it runs on; "": this machine, without an agent.
    std::string host;
    // Processes started with the target, in this order, in the cell's own lifecycle (target.
    // companions): a proxy listening on the cell's ${port} in front of the target, which then
    // listens on ${app_port}. Empty: the target alone, on ${port}.
    std::vector<CompanionSpec> companions;
};

// A machine of `hosts:` that targets, services and loads may be placed on (docs/hosts.md):
// this machine through a local agent, or one reached with the OpenSSH client.
struct HostSpec {
    std::string name;
    SourceLocation where;    // its key in the matrix file
    bool local = false;      // `local: true`; the ssh fields are then unused
    std::string address;     // ssh.address: what ssh connects to, and what the others reach it by
    std::string user;        // ssh.user; "" = ssh's choice
    std::uint16_t port = 0;  // ssh.port; 0 = ssh's choice
    std::string identity;    // ssh.identity; "" = ssh's choice
    std::vector<std::string> options;  // ssh.options: Key=Value, before benchctl's defaults
    std::string benchctl;      // the benchctl to run there; "" = the cached copy, else PATH's
    bool copy_binary = false;  // consent to copy this benchctl there (same architecture)

    // The address other hosts reach it by: `address`, or 127.0.0.1 for a local host.
    std::string reach_address() const { return local ? "127.0.0.1" : address; }
};

// One agent of a cell's load (`load.agents`): a host of `hosts:` and its relative share.
struct LoadAgentSpec {
    std::string host;
    double weight = 1;
};

// A process a cell starts next to its target (docs/matrix.md, "Companions"): nginx as a reverse
// proxy (`kind: nginx`, forwarding to 127.0.0.1:${app_port} unless it names an upstream) or a
// command. Its strings may use ${port} (the cell's, where the load goes), ${app_port} (the
// target's), ${run_dir}, ${cell} and the services' variables.
struct CompanionSpec {
    std::string name;
    SourceLocation where;  // its name in the matrix file
    TargetSpec command;    // a command companion: command/shell, cwd, env, ready, stop
    std::optional<ServiceConfig> config;  // kind: nginx; `command` is then unused
};

// A dependency started once per run before the cells (redis, postgres ...), on its own port:
// either a server of a known kind that benchctl sets up itself (`kind: postgres`), or a command
// started like a target.
struct ServiceSpec {
    std::string name;
    TargetSpec target;                    // a service given as a command
    std::optional<ServiceConfig> config;  // a service of a known kind; `target` is then unused
    std::string host;  // the `hosts:` entry it runs on (either form); "": this machine
};

// A value a step's output yields for the cells: ${setup.<name>}. A JSON path ("$.id",
// "$.items[0].name") over the output read as JSON, or a regular expression over it (its first
// group, or the whole match when it has none).
struct StepCapture {
    enum class Kind { json, regex };
    std::string name;
    Kind kind = Kind::json;
    std::string pattern;
};

// An HTTP request a step sends (one blocking exchange); strings may hold run-time variables.
struct HttpStepSpec {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;  // in file order
    std::string body;
    std::optional<int> status;  // the status required; nullopt: any 2xx
};

// What an `after:` check requires of its step's output; strings may use the cell's figures
// (${cell.completed}, ${cell.failed}, ${cell.status.<code>}) and the run-time variables.
struct ExpectSpec {
    std::optional<std::string> output;  // the trimmed output equals this
    std::optional<std::string> json;    // or the value at this JSON path ...
    std::string equals;                 // ... equals this
    std::optional<int> status;          // an HTTP check's status (also its step's http.status)
};

// One `setup:` step: a command (argv or shell line, run like a target under the supervisor,
// until it exits) or an HTTP request, and what to capture from its output.
struct StepSpec {
    std::string name;
    SourceLocation where;              // the step in the matrix file
    std::vector<std::string> command;  // argv, no shell
    std::optional<std::string> shell;  // or a line for /bin/sh -c
    std::string cwd;                   // relative to the matrix file's directory
    std::map<std::string, std::string> env;
    std::chrono::nanoseconds timeout = std::chrono::seconds(60);
    std::optional<HttpStepSpec> http;   // an HTTP step (command and shell are then empty)
    std::vector<StepCapture> captures;  // in file order (setup steps only)
    std::optional<ExpectSpec> expect;   // after checks only
};

// TFB's verify mode: before a cell's load, its request is sent `count` times and each response
// must have the status required (default: any 2xx), and optionally a body matching `body_regex`
// or holding the JSON key `json_key`; otherwise the cell fails before it is measured.
struct VerifySpec {
    unsigned count = 1;
    std::optional<int> status;
    std::optional<std::string> body_regex;
    std::optional<std::string> json_key;
};

// One value of one axis: "gunicorn-gevent" labelled "WSGI Gunicorn Gevent".
struct AxisValue {
    std::string axis;
    std::string name;
    std::string label;                          // defaults to default_label(axis, name)
    std::map<std::string, std::string> fields;  // extra scalar keys, as ${axis.field}
};

// The label of a value that has none: its name, or "<axis>=<name>" when the name starts with a
// digit ("workers=4", "connections=10k"), since a bare number says nothing in a report's heading
// or a chart's legend.
std::string default_label(const std::string& axis, const std::string& name);

struct Axis {
    std::string name;
    std::vector<AxisValue> values;
};

// One combination of axis values, ready to run.
struct Cell {
    std::string id;                 // axis value names joined by '.', in axis order
    std::vector<AxisValue> values;  // one per axis, in axis order
    TargetSpec target;
    LoadSpec load;  // url defaults to k_default_load_url
    // Bounds on the cell's figures, checked after its load (`thresholds:`, merged like load).
    std::vector<Threshold> thresholds;
    // `load.agents`: the load is split over these hosts' agents and merged; empty: the load
    // runs in this process, as always.
    std::vector<LoadAgentSpec> agents;
};

// The URL a cell loads when its matrix names neither url nor path.
inline constexpr const char* k_default_load_url = "http://127.0.0.1:${port}/";

// Whether `text` may name a run: lowercase ASCII letters, digits, '-' and '_', not empty. A
// matrix's `name` and `benchctl import --name` follow it, since the name becomes a directory's
// (results/<time>-<name>) and must not hold '/', "..", a line break or anything a shell quotes.
bool is_run_name(std::string_view text);

// A parsed, validated matrix file.
struct Matrix {
    std::string name;   // results/<time>-<name>/
    std::string title;  // report heading; defaults to name
    std::string description;
    std::string file;             // path as given
    std::string directory;        // the file's directory; relative paths in the file start here
    std::string text;             // the file's full text (kept in the run manifest)
    std::vector<Axis> axes;       // in the order reports nest them
    std::vector<HostSpec> hosts;  // `hosts:`, in file order
    std::vector<ServiceSpec> services;
    std::vector<StepSpec> setup;           // after the services, before the first cell
    std::vector<StepSpec> before;          // every cell: after its target is ready, before load
    std::vector<StepSpec> after;           // every cell: checks after its load
    std::optional<VerifySpec> verify;      // every cell: its request checked before its load
    std::vector<Cell> cells;               // the expansion, in axis order (first axis slowest)
    unsigned repeat = 1;                   // every cell once, then again, `repeat` times
    std::chrono::nanoseconds cooldown{0};  // pause between cells
};

}  // namespace benchctl
