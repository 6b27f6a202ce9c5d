#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"
#include "results/cell_record.hpp"
#include "results/cell_warning.hpp"

namespace benchctl {

// What the runner saw of one cell's measurement, for judging whether to trust its figures.
struct CellObservations {
    const LoadSettings& settings;
    const LoadResult& result;
    std::optional<SettleRecord> settle;
    std::vector<unsigned> target_cpus;  // empty: not pinned
    std::vector<unsigned> load_cpus;    // empty: not pinned
    // The CPUs of the machine the load client and the target share (benchctl's usable CPUs here,
    // an ssh host's cores); 0 when they run on different machines.
    std::size_t machine_cpus = 0;
    std::string machine_host;  // that machine: "" for this one, else the ssh host's name
};

// The thresholds of the rules below; docs/trust.md states each with its reason.
inline constexpr double k_client_busy_limit = 0.90;       // of a load thread's wall time
inline constexpr double k_client_busy_min_seconds = 0.5;  // shorter threads are not judged
inline constexpr double k_timeout_share_limit = 0.01;     // of the requests started
inline constexpr std::size_t k_small_machine_cpus = 4;    // at most this many: sharing matters
inline constexpr double k_ramp_ratio = 0.5;               // a first second below half the steady
inline constexpr double k_ramp_min_rate = 10;             // steady requests/s worth judging
inline constexpr std::size_t k_ramp_min_seconds = 3;      // whole seconds needed to see a ramp

// The warnings for a cell whose load ran, in this order: no_requests, ramp, client_saturated,
// timeouts, unsolicited_responses, not_settled, shared_cores (see docs/trust.md for each rule
// and what to do). Pure.
std::vector<CellWarning> assess_cell(const CellObservations& seen);

// The rules one by one, each nullopt when it does not apply.
std::optional<CellWarning> no_requests_warning(const LoadResult& result);
std::optional<CellWarning> ramp_warning(const LoadResult& result);
std::optional<CellWarning> client_saturated_warning(const LoadResult& result);
std::optional<CellWarning> timeouts_warning(const LoadSettings& settings, const LoadResult& result);
std::optional<CellWarning> unsolicited_responses_warning(const LoadResult& result);
std::optional<CellWarning> not_settled_warning(const std::optional<SettleRecord>& settle);
// `machine_host` "" is this machine; on an ssh host the lists are not compared (cpus is refused
// for a target there).
std::optional<CellWarning> shared_cores_warning(const std::vector<unsigned>& target_cpus,
                                                const std::vector<unsigned>& load_cpus,
                                                std::size_t machine_cpus,
                                                const std::string& machine_host = "");

}  // namespace benchctl
