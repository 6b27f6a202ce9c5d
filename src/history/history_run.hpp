#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace benchctl {

// The machine a run was measured on. Two runs on different machines are not comparable without
// a warning (compare, history check).
struct MachineFingerprint {
    std::string cpu_model;  // /proc/cpuinfo "model name"
    unsigned cores = 0;     // online logical CPUs
    std::string kernel;     // uname: sysname release machine
    std::string benchctl_version;

    bool operator==(const MachineFingerprint&) const = default;
};

// The names of the fields that differ between `a` and `b` ("cpu_model", "cores", "kernel",
// "benchctl_version"), in that order; empty when they are equal.
std::vector<std::string> fingerprint_differences(const MachineFingerprint& a,
                                                 const MachineFingerprint& b);

// metric name ("requests_per_sec", "p99" ...) -> its value in each repetition, in run order.
using MetricSamples = std::map<std::string, std::vector<double>>;

// One run as the history stores it: what `benchctl history add` fills from a run directory.
// Plain data; HistoryStore::add_run checks it.
struct HistoryRun {
    std::string run_id;  // the run directory's id, unique per run
    std::chrono::sys_seconds started_at{};
    std::map<std::string, std::string> labels;  // --label key=value: commit, branch ...
    MachineFingerprint machine;
    std::map<std::string, MetricSamples> cells;  // cell id -> metric -> samples
};

}  // namespace benchctl
