// A fresh redis per run: in the foreground on 127.0.0.1 (every address when it serves other hosts),
// nothing persisted (no RDB snapshots, no append-only file) unless the matrix's settings say so,
// its working directory in the service's data directory. Ready when PING answers PONG.

#include <csignal>

#include "services/protocol_probes.hpp"
#include "services/service_plan.hpp"

namespace benchctl {

ServicePlan plan_redis(const ServiceConfig& config, const ServiceSite& site) {
    ServicePlan plan;
    std::string port = std::to_string(site.port);
    plan.server.argv = {site.programs.at("redis-server"),
                        "--port",
                        port,
                        "--bind",
                        listen_address(site),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        site.data_dir,
                        "--daemonize",
                        "no"};
    // Bound to every address, redis still refuses other hosts without a password (its
    // protected mode): a redis that serves other hosts is opened to them, as the matrix asked
    // (its settings may add requirepass).
    if (serves_other_hosts(site)) {
        plan.server.argv.push_back("--protected-mode");
        plan.server.argv.push_back("no");
    }
    // Later arguments win, so the matrix's settings may turn persistence back on.
    for (const auto& [name, value] : config.settings) {
        plan.server.argv.push_back("--" + name);
        plan.server.argv.push_back(value);
    }
    plan.ready.kind = ReadinessKind::protocol;
    plan.ready.protocol_name = "redis PING";
    plan.ready.protocol = probe_redis;
    plan.ready.timeout = config.ready_timeout;
    plan.version = {site.programs.at("redis-server"), "--version"};
    plan.stop_signal = SIGTERM;
    plan.variables = {{"port", port},
                      {"host", site.address},
                      {"url", "redis://" + url_host(site) + ":" + port + "/0"}};
    return plan;
}

}  // namespace benchctl
