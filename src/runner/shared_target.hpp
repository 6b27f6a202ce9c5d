#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "matrix/matrix.hpp"
#include "runner/cell_companions.hpp"
#include "runner/resolved_cell.hpp"
#include "runner/run_control.hpp"
#include "runner/run_observer.hpp"
#include "runner/target_launcher.hpp"

namespace benchctl {

// A target started once and shared by the cells (target.scope: run): its tree, how it was
// resolved, and its port.
struct SharedInstance {
    std::string key;  // shared_target_key() of the cells it serves
    std::unique_ptr<RunningTarget> tree;
    ResolvedTarget resolved;
    std::uint16_t port = 0;  // the cells' ${port}: the target's, or its companions' in front
    std::optional<std::uint16_t> app_port;  // with companions: the target's own (${app_port})
    // Its companions (target.companions), started with it and shared as it is; null: none.
    std::unique_ptr<CompanionGroup> companions;
    std::string log_path;  // logs/shared-target.log
    unsigned cells = 0;    // cells measured on it so far
};

// The run's shared target: at most one instance at a time. Owned by the run; stops what runs
// when it goes (stop()).
class SharedTarget {
  public:
    SharedTarget(const RunControl& control, RunObserver& observer)
        : m_control(control), m_observer(observer) {}
    ~SharedTarget() { stop(); }
    SharedTarget(const SharedTarget&) = delete;
    SharedTarget& operator=(const SharedTarget&) = delete;

    // The instance running, or nullptr.
    SharedInstance* current() { return m_instance ? &*m_instance : nullptr; }
    // Takes `instance` as the one running (the caller stopped any other first).
    SharedInstance& keep(SharedInstance instance) {
        return m_instance.emplace(std::move(instance));
    }
    // Stops the instance (its companions first, then the target: each its stop signal, then
    // SIGKILL after its grace; no grace once the run is hurried) and forgets it. Idempotent;
    // never throws.
    void stop();

  private:
    const RunControl& m_control;
    RunObserver& m_observer;
    std::optional<SharedInstance> m_instance;
};

// What makes two cells' targets one shared target: command, shell, cwd, env, cpus, host and
// companions (each one's name, command and kind settings).
std::string shared_target_key(const TargetSpec& target);

}  // namespace benchctl
