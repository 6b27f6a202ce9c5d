#pragma once

#include <cstdint>
#include <vector>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"

namespace benchctl {

// One agent's part of a load, as merge_load_results() reads it.
struct LoadShare {
    const LoadSettings* settings = nullptr;  // the agent's settings (split_load); not owned
    const LoadResult* result = nullptr;      // what the agent measured; not owned
    // When the agent's measurement began, on the coordinator's clock (its own clock reading less
    // the clock offset): the timelines are aligned by it.
    std::uint64_t measure_start_ns = 0;
};

// The agents' results as one (docs/hosts.md, "Merging"). Exact: request counts, errors, status
// codes, bytes, warm-up requests, the rate accounting and the latency and service-time
// histograms (merged bucket by bucket, so every percentile of the merged histogram is the
// percentile of the union of the agents' samples, to the histogram's resolution). Derived:
// duration_sec is the longest agent's (they start together), started_at the earliest, and
// interrupted when any agent was. The timeline adds the agents' seconds after aligning each by
// its measurement start (to the nearest second); its per-second p50 and p99 are those of the
// union of the agents' histograms of that second (TimelineSecond::latency_buckets, which an
// agent sends), or, for a second some agent sent no histogram for, the highest of the agents'
// p50 and p99, an upper bound of the union's. The per-thread Req/Sec summary pools the agents'
// summaries, each weighted by its threads x duration (the number of 100 ms samples it took); its
// within_stddev_pct is their weighted mean, an approximation. Requires at least one share.
LoadResult merge_load_results(const std::vector<LoadShare>& shares);

}  // namespace benchctl
