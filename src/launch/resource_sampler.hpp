#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "launch/process_tree.hpp"
#include "launch/resource_usage.hpp"

namespace benchctl {

// Samples the tree's CPU time (utime+stime from /proc/<pid>/stat, including reaped children's
// cutime/cstime is NOT used: only live members) and RSS (/proc/<pid>/statm) every `interval` on
// a background thread, from start() to finish(). Processes that appear mid-run are included from
// their first sample; CPU of a member that exits between samples is counted up to its last
// sample.
class ResourceSampler {
  public:
    // `tree` must outlive the sampler; only its members() is used, from the sampling thread.
    ResourceSampler(const ProcessTree& tree, std::chrono::milliseconds interval);
    // Finishes if still sampling.
    ~ResourceSampler();
    ResourceSampler(const ResourceSampler&) = delete;
    ResourceSampler& operator=(const ResourceSampler&) = delete;

    // Starts sampling on a background thread (the first sample at once). Once only.
    void start();
    // Takes a last sample, stops the thread and returns the usage from start() to now; all zero
    // when start() was never called. Later calls return the same usage.
    ResourceUsage finish();

  private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace benchctl
