#pragma once

#include <cstdint>

namespace benchctl {

// A target's resource use over the load, summed over its whole process tree, as ResourceSampler
// measures it and a cell document records it.
struct ResourceUsage {
    double cpu_seconds = 0;            // user + system CPU time consumed during the sampling
    double average_cpu_percent = 0;    // cpu_seconds / wall seconds * 100 (may exceed 100)
    std::uint64_t peak_rss_bytes = 0;  // the largest sum of RSS over the tree seen in one sample
    std::uint64_t samples = 0;
    double wall_seconds = 0;
};

}  // namespace benchctl
