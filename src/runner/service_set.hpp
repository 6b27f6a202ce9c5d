#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "matrix/matrix.hpp"
#include "runner/run_control.hpp"
#include "runner/run_directory.hpp"
#include "runner/target_launcher.hpp"

namespace benchctl {

// The services of a run (redis, postgres ...), started once before the cells, each on a free
// port, and stopped when the set is destroyed or stop() is called.
class ServiceSet {
  public:
    // Starts every service in order through `launcher` and waits until each is ready
    // (logs/service-<name>.log). Throws UserError naming the service, with its log tail, when
    // one cannot start or never becomes ready; the ones already started are stopped first.
    ServiceSet(const Matrix& matrix, const RunDirectory& directory, TargetLauncher& launcher,
               const RunControl& control);
    ~ServiceSet();
    ServiceSet(const ServiceSet&) = delete;
    ServiceSet& operator=(const ServiceSet&) = delete;

    // Service name -> port, for ${<service>.port}.
    const std::map<std::string, std::uint16_t>& ports() const { return m_ports; }

    // Stops every service, last started first (its stop signal, then SIGKILL after its grace;
    // no grace once the run is hurried by a second interrupt, even one that arrives during the
    // grace). Idempotent.
    void stop();

  private:
    void start(const Matrix& matrix, const ServiceSpec& service, const RunDirectory& directory,
               TargetLauncher& launcher);

    struct Running {
        std::string name;
        std::unique_ptr<RunningTarget> tree;
        int stop_signal;
        std::chrono::nanoseconds stop_grace;
    };
    const RunControl& m_control;
    std::vector<Running> m_running;
    std::map<std::string, std::uint16_t> m_ports;
};

}  // namespace benchctl
