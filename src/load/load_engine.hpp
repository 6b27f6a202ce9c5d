#pragma once

#include <atomic>
#include <functional>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"

namespace benchctl {

// Live figures for a progress line; read from another thread while the run goes on.
struct LoadProgress {
    std::atomic<std::uint64_t> completed{0};
    std::atomic<std::uint64_t> failed{0};
    std::atomic<bool> measuring{false};
};

// Asks a running load to stop early (e.g. from a SIGINT handler's thread). Thread-safe.
class StopSignal {
  public:
    void request_stop() { m_stop.store(true, std::memory_order_relaxed); }
    bool stop_requested() const { return m_stop.load(std::memory_order_relaxed); }

  private:
    std::atomic<bool> m_stop{false};
};

// Runs one load against settings.url and returns what it measured. Blocks until the stop rule is
// met or `stop` is requested (then result.interrupted is set). Resolves the host first and
// raises RLIMIT_NOFILE to its hard limit.
// Throws UserError when the host cannot be resolved or when the connections cannot fit in the
// file-descriptor limit. Never throws for what happens on the wire: refused connections, resets,
// timeouts and malformed responses are counted in the result.
// Throws UserError when settings.cpus names a CPU this process may not use (the machine lacks
// it, or a taskset or cpuset around benchctl leaves it out), naming the CPUs it may use. run_load
// checks it first; a load agent checks it when a load is prepared.
void check_load_cpus(const LoadSettings& settings);

LoadResult run_load(const LoadSettings& settings, const StopSignal& stop,
                    LoadProgress* progress = nullptr);

}  // namespace benchctl
