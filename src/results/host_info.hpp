#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace benchctl {

class JsonField;

// The machine a run happened on, for the manifest: results from different hosts should not be
// compared without knowing it.
struct HostInfo {
    std::string hostname;
    std::string cpu_model;           // /proc/cpuinfo "model name"
    unsigned cores = 0;              // online logical CPUs
    std::uint64_t memory_bytes = 0;  // /proc/meminfo MemTotal
    std::string kernel;              // uname: sysname release machine
};

// Reads the current machine's description; fields it cannot read stay empty or zero.
HostInfo probe_host();

nlohmann::json to_json(const HostInfo& host);

// Reads what to_json wrote; a missing member stays empty or zero. Throws UserError naming the
// path of a mistyped member.
HostInfo host_info_from_json(const JsonField& field);

}  // namespace benchctl
