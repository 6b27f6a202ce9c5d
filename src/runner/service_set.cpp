#include "runner/service_set.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "runner/resolved_cell.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;

constexpr auto k_service_sample_interval = 100ms;  // as the target's

// The service's config with the run-time variables of its strings filled in.
ServiceConfig resolve_config(const ServiceSpec& service, const RuntimeValues& values) {
    std::string where = "service " + service.name;
    auto fill = [&](const std::string& text) {
        return fill_runtime_variables(text, values, where);
    };
    ServiceConfig config = *service.config;
    for (auto& [name, value] : config.settings)
        value = fill(value);
    for (std::string& database : config.databases)
        database = fill(database);
    config.user = fill(config.user);
    if (config.password)
        config.password = fill(*config.password);
    config.upstream = fill(config.upstream);
    return config;
}

}  // namespace

std::vector<ServiceUsage> ServiceSampling::finish() {
    std::vector<ServiceUsage> usage;
    for (Sampled& sampled : m_sampled)
        usage.push_back({sampled.name, sampled.kind,
                         sampled.sampler  ? sampled.sampler->finish()
                         : sampled.hosted ? sampled.hosted->finish_sampling()
                                          : sampled.command->finish_sampling()});
    m_sampled.clear();
    return usage;
}

ServiceSet::ServiceSet(const Matrix& matrix, const RunDirectory& directory,
                       TargetLauncher& launcher, const RunControl& control, RunObserver& observer,
                       HostPool* hosts)
    : m_control(control) {
    for (const ServiceSpec& service : matrix.services) {
        try {
            HostPool* const remote =
                hosts != nullptr && hosts->is_remote(service.host) ? hosts : nullptr;
            std::uint16_t port = remote ? remote->free_port(service.host) : launcher.free_port();
            m_running.push_back(
                service.config ? start_kind(matrix, service, directory, port, observer, remote)
                               : start_command(matrix, service, directory, launcher, port, remote));
            for (const auto& [key, value] : m_running.back().variables)
                m_variables[service.name + "." + key] = value;
        } catch (...) {
            stop();
            throw;
        }
    }
}

ServiceSet::Running ServiceSet::start_command(const Matrix& matrix, const ServiceSpec& service,
                                              const RunDirectory& directory,
                                              TargetLauncher& launcher, std::uint16_t port,
                                              HostPool* remote) {
    RuntimeValues values{port, directory.path(), service.name, m_variables};
    std::string log_path = directory.log_path("service-" + service.name);
    const std::string where = "service " + service.name;
    ResolvedTarget target = resolve_target(matrix, service.target, values, log_path, where);
    std::unique_ptr<RunningTarget> tree;
    if (remote != nullptr) {
        // Its cwd is the host's (as a remote target's), not the matrix file's directory here.
        target.launch.cwd = fill_runtime_variables(service.target.cwd, values, where);
        tree = remote->start_tree(service.host, "service-" + service.name, target.launch,
                                  target.ready, port);
    } else {
        tree = launcher.start(target.launch);
    }
    ReadyOutcome ready = tree->wait_until_ready(target.ready, port, m_control.cancel_flag());
    if (!ready.ready) {
        tree->stop(target.stop_signal, target.stop_grace, &m_control.hurry_flag());
        throw UserError(fmt::format("service '{}' is not ready: {}", service.name, ready.reason),
                        "services." + service.name,
                        fmt::format("check its command and readiness; its log ends with:\n{}",
                                    launcher.log_tail(log_path, 20)));
    }
    Running running;
    running.record = {service.name, "command", "", port, "", false};
    running.variables = {{"port", std::to_string(port)},
                         {"host", target_address(matrix, service.host)}};
    running.tree = std::move(tree);
    running.stop_signal = target.stop_signal;
    running.stop_grace = target.stop_grace;
    return running;
}

ServiceSet::Running ServiceSet::start_kind(const Matrix& matrix, const ServiceSpec& service,
                                           const RunDirectory& directory, std::uint16_t port,
                                           RunObserver& observer, HostPool* remote) {
    RuntimeValues values{port, directory.path(), service.name, m_variables};
    ServiceConfig config = resolve_config(service, values);
    if (remote != nullptr)
        return start_hosted(matrix, service, config, directory, port, *remote);
    ServiceLaunch launch;
    launch.name = service.name;
    launch.port = port;
    launch.run_dir = std::filesystem::absolute(directory.path()).lexically_normal().string();
    launch.log_path = std::filesystem::absolute(directory.log_path("service-" + service.name))
                          .lexically_normal()
                          .string();
    launch.cancel = &m_control.cancel_flag();
    launch.note = [&observer](const std::string& text) { observer.on_note(text); };
    Running running;
    running.managed.emplace(ManagedService::start(config, launch));
    running.record = {service.name, service_kind_name(config.kind),   running.managed->version(),
                      port,         running.managed->data_location(), config.keep_data};
    running.variables = running.managed->variables();
    return running;
}

ServiceSet::Running ServiceSet::start_hosted(const Matrix& matrix, const ServiceSpec& service,
                                             const ServiceConfig& config,
                                             const RunDirectory& directory, std::uint16_t port,
                                             HostPool& remote) {
    Running running;
    running.hosted = remote.start_service(
        service.host, service.name, config, port, target_address(matrix, service.host),
        directory.log_path("service-" + service.name), m_control.cancel_flag());
    running.record = {service.name,
                      service_kind_name(config.kind),
                      running.hosted->version(),
                      port,
                      fmt::format("{} on host {}", running.hosted->data_location(), service.host),
                      config.keep_data};
    running.variables = running.hosted->variables();
    return running;
}

ServiceSet::~ServiceSet() {
    stop();
}

std::vector<ManifestService> ServiceSet::manifest_entries() const {
    std::vector<ManifestService> entries;
    for (const Running& running : m_running)
        entries.push_back(running.record);
    return entries;
}

ServiceSampling ServiceSet::start_sampling() const {
    ServiceSampling sampling;
    for (const Running& running : m_running) {
        ServiceSampling::Sampled sampled{running.record.name, running.record.kind, nullptr, nullptr,
                                         nullptr};
        if (running.hosted) {
            sampled.hosted = running.hosted.get();
            sampled.hosted->start_sampling();
        } else if (running.managed) {
            sampled.sampler = std::make_unique<ResourceSampler>(running.managed->tree(),
                                                                k_service_sample_interval);
            sampled.sampler->start();
        } else {
            sampled.command = running.tree.get();
            sampled.command->start_sampling();
        }
        sampling.m_sampled.push_back(std::move(sampled));
    }
    return sampling;
}

// A service whose agent cannot stop it (the connection dropped, or the agent refused) is torn
// down there by the agent itself, at once or when the run closes its connection: stop() goes on
// with the others rather than throw past them.
void ServiceSet::stop_hosted(Running& running, bool hurry) {
    try {
        running.hosted->stop(hurry);
    } catch (const UserError&) {
        running.hosted.reset();
    }
}

void ServiceSet::stop() {
    // Reverse order: a service may depend on one started before it.
    for (auto it = m_running.rbegin(); it != m_running.rend(); ++it) {
        bool hurry = m_control.hurry();
        if (it->hosted) {
            stop_hosted(*it, hurry);
        } else if (it->managed) {
            it->managed->stop(hurry, &m_control.hurry_flag());
        } else {
            auto grace = hurry ? std::chrono::nanoseconds{0} : it->stop_grace;
            it->tree->stop(it->stop_signal, grace, &m_control.hurry_flag());
        }
    }
    m_running.clear();
}

}  // namespace benchctl
