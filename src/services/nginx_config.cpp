#include "services/nginx_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>

namespace benchctl {

namespace {

using Directives = std::vector<std::pair<std::string, std::string>>;

constexpr std::array<std::string_view, 8> k_main_directives = {"worker_processes",
                                                               "worker_rlimit_nofile",
                                                               "worker_cpu_affinity",
                                                               "worker_priority",
                                                               "worker_shutdown_timeout",
                                                               "timer_resolution",
                                                               "pcre_jit",
                                                               "error_log"};
constexpr std::array<std::string_view, 6> k_event_directives = {
    "worker_connections", "multi_accept", "accept_mutex",
    "accept_mutex_delay", "use",          "worker_aio_requests"};

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

void check_port(std::string_view text, std::string_view whole) {
    unsigned port = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || port == 0 ||
        port > 65535) {
        throw std::invalid_argument(
            fmt::format("upstream '{}' has no port 1..65535 after its host", whole));
    }
}

// "host:port" with a plain host (a name, an IPv4 address or a bracketed IPv6 one).
std::string host_and_port(std::string_view text, std::string_view whole) {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        throw std::invalid_argument(fmt::format("upstream '{}' is not host:port", whole));
    }
    std::string_view host = text.substr(0, colon);
    if (host.find_first_of(" \t;{}/") != std::string_view::npos) {
        throw std::invalid_argument(fmt::format("upstream '{}' has a malformed host", whole));
    }
    check_port(text.substr(colon + 1), whole);
    return std::string(text);
}

// `defaults` with every setting of `context` laid over it: same name replaces, else appended.
Directives directives_of(NginxContext context, Directives defaults, const Directives& settings) {
    for (const auto& [name, value] : settings) {
        if (nginx_setting_context(name) != context)
            continue;
        auto same = std::find_if(defaults.begin(), defaults.end(),
                                 [&](const auto& entry) { return entry.first == name; });
        if (same != defaults.end())
            same->second = value;
        else
            defaults.emplace_back(name, value);
    }
    return defaults;
}

std::string lines(const Directives& directives, std::string_view indent) {
    std::string text;
    for (const auto& [name, value] : directives)
        text += fmt::format("{}{} {};\n", indent, name, value);
    return text;
}

}  // namespace

NginxUpstream parse_nginx_upstream(std::string_view text) {
    if (starts_with(text, "unix:")) {
        std::string_view path = text.substr(5);
        if (path.empty() || path.front() != '/' ||
            path.find_first_of(" \t;{}") != std::string_view::npos) {
            throw std::invalid_argument(fmt::format(
                "upstream '{}' needs an absolute socket path after 'unix:' and no spaces", text));
        }
        return {std::string(text)};
    }
    if (starts_with(text, "https://")) {
        throw std::invalid_argument(
            fmt::format("upstream '{}': nginx forwards to plain HTTP upstreams only", text));
    }
    std::string_view address = text;
    if (starts_with(text, "http://")) {
        address = text.substr(7);
        if (!address.empty() && address.back() == '/')
            address.remove_suffix(1);
        if (address.find('/') != std::string_view::npos) {
            throw std::invalid_argument(fmt::format(
                "upstream '{}' has a path; nginx forwards each request's own path", text));
        }
    } else if (text.find("://") != std::string_view::npos) {
        throw std::invalid_argument(
            fmt::format("upstream '{}': only http:// URLs, host:port or unix:/path", text));
    }
    return {host_and_port(address, text)};
}

NginxContext nginx_setting_context(std::string_view name) {
    auto in = [&](const auto& table) {
        return std::find(table.begin(), table.end(), name) != table.end();
    };
    if (in(k_main_directives))
        return NginxContext::main;
    if (in(k_event_directives))
        return NginxContext::events;
    if (name == "keepalive")
        return NginxContext::upstream;
    return NginxContext::http;
}

std::string render_nginx_config(const NginxProxyConfig& config) {
    const Directives& set = config.settings;
    Directives main = directives_of(NginxContext::main,
                                    {{"worker_processes", "auto"}, {"error_log", "stderr"}}, set);
    Directives events = directives_of(NginxContext::events, {{"worker_connections", "4096"}}, set);
    Directives upstream = directives_of(NginxContext::upstream, {{"keepalive", "64"}}, set);
    std::string temp = config.temp_dir;
    Directives http = directives_of(NginxContext::http,
                                    {{"access_log", config.access_log_path},
                                     {"client_body_temp_path", temp + "/client_body"},
                                     {"proxy_temp_path", temp + "/proxy"},
                                     {"fastcgi_temp_path", temp + "/fastcgi"},
                                     {"uwsgi_temp_path", temp + "/uwsgi"},
                                     {"scgi_temp_path", temp + "/scgi"}},
                                    set);
    return fmt::format(
        "# {}\n"
        "daemon off;\n"
        "master_process on;\n"
        "pid {};\n"
        "{}"
        "{}"
        "\n"
        "events {{\n{}}}\n"
        "\n"
        "http {{\n"
        "{}"
        "\n"
        "    upstream benchctl_upstream {{\n"
        "        server {};\n"
        "{}"
        "    }}\n"
        "\n"
        "    server {{\n"
        "        listen {};\n"
        "        location = {} {{\n"
        "            access_log off;\n"
        "            return 204;\n"
        "        }}\n"
        "        location / {{\n"
        "            proxy_pass http://benchctl_upstream;\n"
        "            proxy_http_version 1.1;\n"
        "            proxy_set_header Connection \"\";\n"
        "            proxy_set_header Host $http_host;\n"
        "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "        }}\n"
        "    }}\n"
        "}}\n",
        config.title, config.pid_path, config.workers_as_root ? "user root root;\n" : "",
        lines(main, ""), lines(events, "    "), lines(http, "    "), config.upstream.server,
        lines(upstream, "        "), config.listen, k_nginx_ready_path);
}

}  // namespace benchctl
