#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "launch/resource_sampler.hpp"
#include "matrix/matrix.hpp"
#include "matrix/variables.hpp"
#include "results/cell_record.hpp"
#include "results/run_manifest.hpp"
#include "runner/host_pool.hpp"
#include "runner/run_control.hpp"
#include "runner/run_directory.hpp"
#include "runner/run_observer.hpp"
#include "runner/target_launcher.hpp"
#include "services/managed_service.hpp"

namespace benchctl {

// The services' resource use over one cell's load: one sampler per service, started together.
class ServiceSampling {
  public:
    ServiceSampling() = default;
    ServiceSampling(ServiceSampling&&) = default;
    ServiceSampling& operator=(ServiceSampling&&) = default;

    // Stops sampling; the usage of each service since the sampling started, in start order.
    // Later calls return nothing.
    std::vector<ServiceUsage> finish();

  private:
    friend class ServiceSet;
    struct Sampled {
        std::string name;
        std::string kind;
        std::unique_ptr<ResourceSampler> sampler;  // a service of a known kind
        RunningTarget* command = nullptr;          // a command service: samples itself
        HostedService* hosted = nullptr;           // a kind on an ssh host: its agent samples it
    };
    std::vector<Sampled> m_sampled;
};

// The services of a run (postgres, redis, nginx, or commands), started once before the cells,
// each on a free port, and stopped when the set is destroyed or stop() is called.
class ServiceSet {
  public:
    // Starts every service in order and waits until each is ready (logs/service-<name>.log): a
    // service of a known kind through ManagedService (set up, started, probed, its databases
    // created), a command like a cell's target through `launcher`. Throws UserError naming the
    // service, with its log tail, when one cannot start or never becomes ready, or when the run
    // is interrupted while they start; the ones already started are stopped first. Notes go to
    // `observer`.
    // A service on an ssh host (services.<name>.host) starts through `hosts` (its agent: a port
    // free there, ready there, its log streamed back; ${<name>.host} is the host's address): a
    // command as a target there, a known kind set up there as ManagedService does here.
    ServiceSet(const Matrix& matrix, const RunDirectory& directory, TargetLauncher& launcher,
               const RunControl& control, RunObserver& observer, HostPool* hosts = nullptr);
    ~ServiceSet();
    ServiceSet(const ServiceSet&) = delete;
    ServiceSet& operator=(const ServiceSet&) = delete;

    // ${<name>.port} and ${<name>.host} of every service, and ${<name>.url} (and postgres'
    // ${<name>.user}, .password, .database) of those of a known kind.
    const Variables& variables() const { return m_variables; }

    // The services as the run manifest records them: kind, version, port, data directory.
    std::vector<ManifestService> manifest_entries() const;

    // Starts sampling every service's process tree (CPU time, peak RSS), as the target's is
    // sampled over a cell's load. Throws UserError when a sampling thread cannot be created.
    ServiceSampling start_sampling() const;

    // Stops every service, last started first (its stop signal, then SIGKILL after its grace;
    // no grace once the run is hurried by a second interrupt, even one that arrives during the
    // grace); a kind's data is removed unless keep_data. Idempotent.
    void stop();

  private:
    struct Running {
        ManifestService record;
        std::map<std::string, std::string> variables;  // "port" -> "41234", "url" -> ...
        std::unique_ptr<RunningTarget> tree;           // a command service
        std::optional<ManagedService> managed;         // a service of a known kind
        std::unique_ptr<HostedService> hosted;         // a known kind on an ssh host
        int stop_signal = 15;
        std::chrono::nanoseconds stop_grace{0};
    };
    Running start_command(const Matrix& matrix, const ServiceSpec& service,
                          const RunDirectory& directory, TargetLauncher& launcher,
                          std::uint16_t port, HostPool* remote);
    Running start_kind(const Matrix& matrix, const ServiceSpec& service,
                       const RunDirectory& directory, std::uint16_t port, RunObserver& observer,
                       HostPool* remote);
    Running start_hosted(const Matrix& matrix, const ServiceSpec& service,
                         const ServiceConfig& config, const RunDirectory& directory,
                         std::uint16_t port, HostPool& remote);
    static void stop_hosted(Running& running, bool hurry);

    const RunControl& m_control;
    std::vector<Running> m_running;
    Variables m_variables;
};

}  // namespace benchctl
