#include "runner/service_set.hpp"

#include <fmt/format.h>

#include "runner/resolved_cell.hpp"
#include "util/error.hpp"

namespace benchctl {

ServiceSet::ServiceSet(const Matrix& matrix, const RunDirectory& directory,
                       TargetLauncher& launcher, const RunControl& control)
    : m_control(control) {
    try {
        for (const ServiceSpec& service : matrix.services)
            start(matrix, service, directory, launcher);
    } catch (...) {
        stop();
        throw;
    }
}

void ServiceSet::start(const Matrix& matrix, const ServiceSpec& service,
                       const RunDirectory& directory, TargetLauncher& launcher) {
    const std::uint16_t port = launcher.free_port();
    const RuntimeValues values{port, directory.path(), service.name, m_ports};
    const std::string log_path = directory.log_path("service-" + service.name);
    const ResolvedTarget target =
        resolve_target(matrix, service.target, values, log_path, "service " + service.name);
    std::unique_ptr<RunningTarget> tree = launcher.start(target.launch);
    const ReadyOutcome ready = tree->wait_until_ready(target.ready, port, m_control.cancel_flag());
    if (!ready.ready) {
        tree->stop(target.stop_signal, target.stop_grace, &m_control.hurry_flag());
        throw UserError(fmt::format("service '{}' is not ready: {}", service.name, ready.reason),
                        "services." + service.name,
                        fmt::format("check its command and readiness; its log ends with:\n{}",
                                    launcher.log_tail(log_path, 20)));
    }
    m_running.push_back({service.name, std::move(tree), target.stop_signal, target.stop_grace});
    m_ports[service.name] = port;
}

ServiceSet::~ServiceSet() {
    stop();
}

void ServiceSet::stop() {
    // Reverse order: a service may depend on one started before it.
    for (auto it = m_running.rbegin(); it != m_running.rend(); ++it) {
        const auto grace = m_control.hurry() ? std::chrono::nanoseconds{0} : it->stop_grace;
        it->tree->stop(it->stop_signal, grace, &m_control.hurry_flag());
    }
    m_running.clear();
}

}  // namespace benchctl
