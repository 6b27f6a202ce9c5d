#include "runner/service_set.hpp"

#include <fmt/format.h>

#include "launch/readiness.hpp"
#include "runner/resolved_cell.hpp"
#include "util/error.hpp"

namespace benchctl {

ServiceSet::ServiceSet(const Matrix& matrix, const RunDirectory& directory,
                       const RunControl& control)
    : m_control(control) {
    for (const ServiceSpec& service : matrix.services) {
        std::uint16_t port = find_free_port();
        RuntimeValues values{port, directory.path(), service.name, m_ports};
        std::string log_path = directory.log_path("service-" + service.name);
        ResolvedTarget target =
            resolve_target(matrix, service.target, values, log_path, "service " + service.name);
        try {
            ProcessTree tree = ProcessTree::start(target.launch);
            ReadyOutcome ready =
                wait_until_ready(tree, target.ready, port, log_path, control.cancel_flag());
            if (!ready.ready) {
                tree.stop(target.stop_signal, target.stop_grace, &control.hurry_flag());
                throw UserError(
                    fmt::format("service '{}' is not ready: {}", service.name, ready.reason),
                    "services." + service.name,
                    fmt::format("check its command and readiness; its log ends with:\n{}",
                                log_tail(log_path)));
            }
            m_running.push_back(
                {service.name, std::move(tree), target.stop_signal, target.stop_grace});
            m_ports[service.name] = port;
        } catch (...) {
            stop();
            throw;
        }
    }
}

ServiceSet::~ServiceSet() {
    stop();
}

void ServiceSet::stop() {
    // Reverse order: a service may depend on one started before it.
    for (auto it = m_running.rbegin(); it != m_running.rend(); ++it) {
        auto grace = m_control.hurry() ? std::chrono::nanoseconds{0} : it->stop_grace;
        it->tree.stop(it->stop_signal, grace, &m_control.hurry_flag());
    }
    m_running.clear();
}

}  // namespace benchctl
