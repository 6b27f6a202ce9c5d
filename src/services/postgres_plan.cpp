// A fresh PostgreSQL cluster per run: initdb (as an unprivileged user when benchctl is root),
// the postmaster on 127.0.0.1 only, TCP only, the matrix's settings as -c key=value, then the
// databases. Readiness is the server's own answer to a startup message, as pg_isready's.

#include <fmt/format.h>

#include <csignal>

#include "services/protocol_probes.hpp"
#include "services/service_plan.hpp"

namespace benchctl {

namespace {

constexpr const char* k_host = "127.0.0.1";

ServiceCommand initdb(const ServiceConfig& config, const ServiceSite& site,
                      const std::string& cluster, const std::string& password_file) {
    // Without a password of the matrix's own, 127.0.0.1 is trusted: a benchmark measures the
    // application, not a SCRAM exchange per connection; the role's password is set anyway.
    const char* host_auth = config.password ? "scram-sha-256" : "trust";
    return {
        {site.programs.at("initdb"), "--pgdata=" + cluster, "--username=" + config.user,
         "--pwfile=" + password_file, "--auth-local=trust",
         fmt::format("--auth-host={}", host_auth), "--encoding=UTF8", "--locale=C", "--no-sync"},
        {},
        true};
}

ServiceCommand postmaster(const ServiceConfig& config, const ServiceSite& site,
                          const std::string& cluster) {
    ServiceCommand server{
        {site.programs.at("postgres"), "-D", cluster, "-p", std::to_string(site.port), "-c",
         fmt::format("listen_addresses={}", k_host), "-c", "unix_socket_directories="},
        {},
        true};
    for (const auto& [name, value] : config.settings) {
        server.argv.push_back("-c");
        server.argv.push_back(name + "=" + value);
    }
    return server;
}

}  // namespace

ServicePlan plan_postgres(const ServiceConfig& config, const ServiceSite& site) {
    std::string cluster = site.data_dir + "/cluster";
    std::string password_file = site.data_dir + "/password";
    std::string password = config.password.value_or(k_default_postgres_password);
    std::string database = config.databases.empty() ? "postgres" : config.databases.front();
    ServicePlan plan;
    plan.files.push_back({password_file, password + "\n", true});
    plan.setup.push_back(initdb(config, site, cluster, password_file));
    plan.server = postmaster(config, site, cluster);
    plan.ready.kind = ReadinessKind::protocol;
    plan.ready.protocol_name = "PostgreSQL startup";
    plan.ready.protocol = [user = config.user](std::uint16_t port,
                                               std::chrono::milliseconds timeout) {
        return probe_postgres(port, user, timeout);
    };
    plan.ready.timeout = config.ready_timeout;
    for (const std::string& name : config.databases) {
        plan.after_ready.push_back(
            {{site.programs.at("createdb"), "--host", k_host, "--port", std::to_string(site.port),
              "--username", config.user, "--no-password", name},
             {{"PGPASSWORD", password}, {"PGCONNECT_TIMEOUT", "10"}},
             false});
    }
    plan.version = {site.programs.at("postgres"), "--version"};
    plan.stop_signal = SIGINT;  // the postmaster's "fast shutdown"
    plan.variables = {
        {"port", std::to_string(site.port)},
        {"host", k_host},
        {"user", config.user},
        {"password", password},
        {"database", database},
        {"url", fmt::format("postgresql://{}:{}@{}:{}/{}", percent_encode(config.user),
                            percent_encode(password), k_host, site.port, database)}};
    return plan;
}

}  // namespace benchctl
