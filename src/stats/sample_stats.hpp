#pragma once

#include <vector>

namespace benchctl {

// Summary of a small set of samples (e.g. per-thread requests/sec measured every 100 ms, the
// "Req/Sec" row of wrk): mean, population standard deviation, max, and the percentage of samples
// within one standard deviation of the mean. All zero for an empty set.
struct SampleSummary {
    double mean = 0;
    double stddev = 0;
    double max = 0;
    double percent_within_stddev = 0;
};

// Summarises `samples` (any order). O(n).
SampleSummary summarize_samples(const std::vector<double>& samples);

}  // namespace benchctl
