#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "launch/readiness_spec.hpp"
#include "services/server_programs.hpp"
#include "services/service_config.hpp"

namespace benchctl {

// The address of a service on benchctl's own machine.
inline constexpr const char* k_service_loopback = "127.0.0.1";

// Where and how one service runs, as ManagedService prepared it.
struct ServiceSite {
    std::string name;
    std::uint16_t port = 0;
    // The address the cells reach the server at (${<name>.host}, its url): 127.0.0.1, or for a
    // service on an ssh host that host's address as the matrix names it; the server then listens
    // on every address of its host (listen_address).
    std::string address = k_service_loopback;
    std::string dir;              // <run dir>/services/<name>, absolute
    std::string data_dir;         // the server's data: <dir>/data, or a private directory the
                                  // server's user can reach (linked from <dir>/data)
    std::string access_log_path;  // <run dir>/logs/service-<name>.access.log (nginx)
    ServerPrograms programs;
    bool benchctl_is_root = false;
};

// One command of a plan; its output goes to the service's log.
struct ServiceCommand {
    std::vector<std::string> argv;
    std::map<std::string, std::string> env;  // added to benchctl's environment
    bool as_server_user = false;             // runs as the unprivileged user when benchctl is root
};

// A file written before the first command (owned by the server's user).
struct ServiceFile {
    std::string path;
    std::string content;
    bool setup_only = false;  // removed once the setup commands ran (a password file)
};

// Everything a kind does to bring one fresh server up, as plain data: ManagedService carries it
// out the same way for every kind.
struct ServicePlan {
    std::vector<ServiceFile> files;
    std::vector<ServiceCommand> setup;        // run to their end, in order, before the server
    ServiceCommand server;                    // the server itself, in the foreground
    ReadinessSpec ready;                      // when it accepts connections
    std::vector<ServiceCommand> after_ready;  // run to their end, in order, once it is ready
    std::vector<std::string> version;         // prints the server's version
    int stop_signal = 15;
    // What the cells see as ${<name>.<key>}: port, host, url (and user, password, database).
    std::map<std::string, std::string> variables;
};

// Whether the kind's server refuses to run as root (postgres), so that benchctl, when root,
// runs its `as_server_user` commands as an unprivileged user.
bool refuses_root(ServiceKind kind);

// Whether the server must accept connections from other hosts: its address is not 127.0.0.1.
bool serves_other_hosts(const ServiceSite& site);
// The address the server binds: 127.0.0.1, or 0.0.0.0 when it serves other hosts.
std::string listen_address(const ServiceSite& site);
// site.address as a URL's host: an IPv6 literal in brackets.
std::string url_host(const ServiceSite& site);

// The plan of `config` at `site` (every run-time variable of `config` already filled in).
// Throws std::invalid_argument with a message for people when a value cannot be used (an
// nginx upstream that is no address).
ServicePlan plan_service(const ServiceConfig& config, const ServiceSite& site);

// The kinds' plans, which plan_service dispatches to.
ServicePlan plan_postgres(const ServiceConfig& config, const ServiceSite& site);
ServicePlan plan_redis(const ServiceConfig& config, const ServiceSite& site);
ServicePlan plan_nginx(const ServiceConfig& config, const ServiceSite& site);

// `text` with every byte but RFC 3986's unreserved ones percent-encoded, for a URL's user and
// password.
std::string percent_encode(const std::string& text);

}  // namespace benchctl
