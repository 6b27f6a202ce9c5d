#pragma once

#include <cstdint>
#include <vector>

#include "load/load_settings.hpp"

namespace benchctl {

// Splits `total` into parts proportional to `weights` that sum to `total` exactly: each part is
// the floor of its quota, and what is left goes one by one to the largest remainders (Hamilton's
// method), ties to the earlier index. Weights must be positive and finite.
std::vector<std::uint64_t> apportion(std::uint64_t total, const std::vector<double>& weights);

// One load split over agents in proportion to their weights (docs/hosts.md): the connections
// (apportion; each agent needs at least one), the rate (rate * weight / total weight), the -n
// requests and the counted warm-up requests (in proportion to each agent's connections, so an
// agent never gets fewer requests than connections), while the per-connection and per-agent
// settings stay: iterations per connection, duration, timeout, request, warm-up period, and the
// threads, which are per agent (capped at the agent's connections). The parts add up to the
// whole: connections, requests, warm-up requests exactly, the rate to rounding.
// Throws UserError naming load.connections (or load.requests) when there are fewer than
// agents, or load.agents when a weight is not a positive number.
std::vector<LoadSettings> split_load(const LoadSettings& settings,
                                     const std::vector<double>& weights);

}  // namespace benchctl
