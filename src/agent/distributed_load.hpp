#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "agent/clock_offset.hpp"
#include "load/load_engine.hpp"
#include "load/load_result.hpp"
#include "load/load_settings.hpp"

namespace benchctl {

class AgentClient;

// An agent that takes part in a load, and its share (weights are relative: 1 and 1 split evenly,
// 2 and 1 give the first two thirds).
struct LoadAgent {
    AgentClient* client = nullptr;  // connected; not owned
    double weight = 1;
};

// What one agent did in a distributed load.
struct AgentLoadReport {
    std::string agent;      // its host's name
    LoadSettings settings;  // its part (split_load)
    LoadResult result;      // what it measured
    ClockOffset clock;      // its clock against the coordinator's
    // When it began, against the agreed start, on the coordinator's clock (within the offset's
    // error, clock.rtt_ns / 2): how well the barrier held.
    std::int64_t start_skew_ns = 0;
    // How far past the instant it was given it began, on its own clock (0 unless the start
    // request arrived late: the margin was too short for the round trip).
    std::uint64_t late_ns = 0;
};

// What the coordinator spent around the agents' loads, in milliseconds.
struct CoordinatorOverhead {
    double clock_ms = 0;    // measuring every agent's clock offset
    double prepare_ms = 0;  // from sending load_prepare to the last "ready"
    double margin_ms = 0;   // from the last "ready" to the agreed start
    double collect_ms = 0;  // from the first agent's result to the last one's
    double merge_ms = 0;    // reading the agents' documents and merging them
};

// A load run by several agents at once, merged.
struct DistributedLoadResult {
    LoadSettings settings;  // the whole load, as asked
    LoadResult merged;      // merge_load_results of the agents' results
    std::vector<AgentLoadReport> agents;
    CoordinatorOverhead overhead;
};

struct DistributedLoadOptions {
    unsigned clock_rounds = 8;  // clock requests per agent; the shortest round trip is kept
    // The agreed start is this long after every agent said ready, plus twice the longest round
    // trip, so that the start request reaches each agent before the instant.
    std::chrono::milliseconds start_margin{50};
    std::chrono::milliseconds prepare_timeout{30'000};
    // How often each running agent is asked for its live figures (with a progress to fill).
    std::chrono::milliseconds progress_interval{250};
};

// Runs `settings` split over `agents` (split_load) and merges what they measured
// (docs/hosts.md, "A load over several agents"):
//   1. measure each agent's clock offset (measure_clock_offset);
//   2. send each its part (load_prepare) and wait until every one is ready;
//   3. agree a start instant T = now + margin on the coordinator's clock and send each agent
//      T in its own clock (load_start), so that they all begin at once;
//   4. collect their results and merge them (merge_load_results).
// While the agents run, `progress` (when given) holds the sum of their live figures, asked of
// each agent a few times a second (load_progress); an agent that has not answered again counts
// with its last figures. When `stop` is requested (Ctrl-C) every agent's load is cancelled and
// their partial results are merged as an interrupted load. When any agent fails (its answer is
// an error, or its connection drops) the others are cancelled and the whole load fails: throws
// AgentError naming that agent's host and its reason. Throws UserError when the load cannot be
// split.
DistributedLoadResult run_distributed_load(const std::vector<LoadAgent>& agents,
                                           const LoadSettings& settings, const StopSignal& stop,
                                           LoadProgress* progress = nullptr,
                                           const DistributedLoadOptions& options = {});

}  // namespace benchctl
