#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace benchctl {

// Where an nginx reverse proxy forwards to: the argument of the upstream's `server` directive,
// "127.0.0.1:8000" or "unix:/run/app.sock".
struct NginxUpstream {
    std::string server;
};

// Reads an upstream as a matrix writes it: "host:port", "http://host:port" (a trailing "/" at
// most: nginx forwards the request's own path) or "unix:/absolute/path". Throws
// std::invalid_argument with a message for people ("https upstreams are not supported ...").
NginxUpstream parse_nginx_upstream(std::string_view text);

// Everything an nginx.conf of a reverse proxy needs; render_nginx_config() writes it. Used for a
// `kind: nginx` service, and meant for any proxy benchctl puts in front of a server.
struct NginxProxyConfig {
    std::string title;            // the first comment line: what generated the file, and for what
    std::string listen;           // "127.0.0.1:8080"
    NginxUpstream upstream;       // where every request but the readiness probe goes
    std::string pid_path;         // absolute
    std::string temp_dir;         // absolute; client_body_temp, proxy_temp ... below it
    std::string access_log_path;  // absolute
    // benchctl runs as root: `user root root`, so the workers run as benchctl does (and reach a
    // Unix socket in the run directory) instead of nginx's default `nobody`.
    bool workers_as_root = false;
    // Directives laid over the defaults: a name the defaults have replaces its value, another
    // is added, each in the context it belongs to (see nginx_setting_context).
    std::vector<std::pair<std::string, std::string>> settings;
};

// The readiness path the generated server answers itself with 204 (not logged, never proxied),
// so that the proxy is ready whether or not its upstream is up yet.
inline constexpr const char* k_nginx_ready_path = "/__benchctl_ready";

// Where a directive set through `settings` goes.
enum class NginxContext { main, events, upstream, http };

// worker_processes, worker_rlimit_nofile, ... -> main; worker_connections, multi_accept, use,
// ... -> events; keepalive -> upstream; anything else -> http.
NginxContext nginx_setting_context(std::string_view name);

// The whole nginx.conf: daemon off, master process, pid file, error log on stderr (the service's
// log), the access log, temp paths, worker_processes auto and worker_connections 4096 unless
// `settings` says otherwise, an upstream with keepalive 64, and one server on `listen` that
// proxies every path over HTTP/1.1 with keep-alive to the upstream.
std::string render_nginx_config(const NginxProxyConfig& config);

}  // namespace benchctl
