#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "launch/process_tree.hpp"
#include "launch/resource_usage.hpp"

namespace benchctl {

// Samples the tree's RSS (/proc/<pid>/statm) every `interval` on a background thread, from
// start() to finish(), and its CPU time: from the tree's cgroup (cpu.stat) when it has one, which
// counts every process that ran; otherwise the sum of utime+stime (/proc/<pid>/stat) of the live
// members, where a process that appears mid-run counts from its first sample and one that exits
// between samples up to its last (the reaped children's cutime/cstime are not used).
// CPU time (user + system) the tree has used so far: its cgroup's cpu.stat when it has one
// (every process that ever ran in it), else the sum over its live members from /proc (a process
// that has exited no longer counts, so only short-window differences are meaningful). For the
// settle step, which waits for a target to fall quiet.
std::chrono::microseconds tree_cpu_time(const ProcessTree& tree);

class ResourceSampler {
  public:
    // `tree` must outlive the sampler; only its members() is used, from the sampling thread.
    ResourceSampler(const ProcessTree& tree, std::chrono::milliseconds interval);
    // Finishes if still sampling.
    ~ResourceSampler();
    ResourceSampler(const ResourceSampler&) = delete;
    ResourceSampler& operator=(const ResourceSampler&) = delete;

    // Starts sampling on a background thread (the first sample at once). Once only. Throws
    // UserError when the thread cannot be created (a limit on processes).
    void start();
    // Takes a last sample, stops the thread and returns the usage from start() to now; all zero
    // when start() was never called. Later calls return the same usage.
    ResourceUsage finish();

  private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace benchctl
