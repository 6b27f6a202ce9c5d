#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "launch/process_tree.hpp"
#include "load/load_settings.hpp"
#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

// The values only known while running: the free port, the run directory, the services'
// variables.
struct RuntimeValues {
    std::uint16_t port = 0;
    std::string run_dir;
    std::string cell_id;
    Variables service_variables;  // "db.port" -> "41234", "db.url" -> "postgresql://..."
    // ${target.host}: the address the target is reached by (target_address).
    std::string target_host = "127.0.0.1";
    // A target with companions: its own port, ${app_port} (`port` is then the companions');
    // nullopt when it has none (and ${app_port} is unknown).
    std::optional<std::uint16_t> app_port = std::nullopt;
};

// The address the other hosts reach a tree placed on `host` by (a name of matrix.hosts): the
// host's ssh address, or 127.0.0.1 for a local host and for a tree without a host.
std::string target_address(const Matrix& matrix, const std::string& host);

// A target with every variable filled in: what to start, how to see it ready, how to stop it.
struct ResolvedTarget {
    LaunchSpec launch;
    ReadinessSpec ready;
    std::chrono::nanoseconds warmup{0};
    std::optional<SettleSpec> settle;
    int stop_signal = 15;
    std::chrono::nanoseconds stop_grace{0};
    std::vector<std::string> version_command;
};

// Fills the run-time variables into a target (a cell's or a service's; ${run_dir} as an absolute
// path) and resolves its cwd against the matrix file's directory. Throws UserError naming `where`
// on an unknown variable.
ResolvedTarget resolve_target(const Matrix& matrix, const TargetSpec& target,
                              const RuntimeValues& values, const std::string& log_path,
                              const std::string& where);

// Fills the run-time variables into one string of a target or a service. Throws UserError naming
// `where` on an unknown variable.
std::string fill_runtime_variables(const std::string& text, const RuntimeValues& values,
                                   const std::string& where);

// Fills the run-time variables into a cell's load settings and parses them. Throws UserError
// naming "load.<key> in cell <id>" when a value is malformed.
LoadSettings resolve_load(const Matrix& matrix, const Cell& cell, const RuntimeValues& values);

}  // namespace benchctl
