#include "services/nginx_config.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

using benchctl::nginx_setting_context;
using benchctl::NginxContext;
using benchctl::NginxProxyConfig;
using benchctl::parse_nginx_upstream;
using benchctl::render_nginx_config;

namespace {

std::string refusal(const std::string& upstream) {
    try {
        parse_nginx_upstream(upstream);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "accepted";
}

NginxProxyConfig proxy() {
    NginxProxyConfig config;
    config.title = "test";
    config.listen = "127.0.0.1:8080";
    config.upstream = {"unix:/run/app.sock"};
    config.pid_path = "/run/x/nginx.pid";
    config.temp_dir = "/run/x/data";
    config.access_log_path = "/run/logs/service-proxy.access.log";
    return config;
}

}  // namespace

TEST_CASE("reads an upstream written as host:port, an http URL or a Unix socket", "[services]") {
    CHECK(parse_nginx_upstream("127.0.0.1:8000").server == "127.0.0.1:8000");
    CHECK(parse_nginx_upstream("http://127.0.0.1:8000").server == "127.0.0.1:8000");
    CHECK(parse_nginx_upstream("http://localhost:8000/").server == "localhost:8000");
    CHECK(parse_nginx_upstream("[::1]:8000").server == "[::1]:8000");
    CHECK(parse_nginx_upstream("unix:/tmp/run/app.sock").server == "unix:/tmp/run/app.sock");
}

TEST_CASE("refuses upstreams nginx cannot forward to, saying why", "[services]") {
    CHECK(refusal("https://127.0.0.1:8443") ==
          "upstream 'https://127.0.0.1:8443': nginx forwards to plain HTTP upstreams only");
    CHECK(refusal("http://127.0.0.1:8000/api") ==
          "upstream 'http://127.0.0.1:8000/api' has a path; nginx forwards each request's own "
          "path");
    CHECK(refusal("127.0.0.1") == "upstream '127.0.0.1' is not host:port");
    CHECK(refusal("127.0.0.1:http") ==
          "upstream '127.0.0.1:http' has no port 1..65535 after its host");
    CHECK(refusal("127.0.0.1:70000") ==
          "upstream '127.0.0.1:70000' has no port 1..65535 after its host");
    CHECK(refusal("unix:app.sock") ==
          "upstream 'unix:app.sock' needs an absolute socket path after 'unix:' and no spaces");
    CHECK(refusal("grpc://127.0.0.1:50051") ==
          "upstream 'grpc://127.0.0.1:50051': only http:// URLs, host:port or unix:/path");
    CHECK(refusal("evil;host:80") == "upstream 'evil;host:80' has a malformed host");
}

TEST_CASE("places each setting in the context nginx reads it in", "[services]") {
    CHECK(nginx_setting_context("worker_processes") == NginxContext::main);
    CHECK(nginx_setting_context("worker_connections") == NginxContext::events);
    CHECK(nginx_setting_context("keepalive") == NginxContext::upstream);
    CHECK(nginx_setting_context("keepalive_timeout") == NginxContext::http);
    CHECK(nginx_setting_context("access_log") == NginxContext::http);
}

TEST_CASE("renders a proxy whose settings replace the defaults where nginx reads them",
          "[services]") {
    NginxProxyConfig config = proxy();
    config.settings = {{"worker_processes", "2"},
                       {"worker_connections", "512"},
                       {"keepalive", "8"},
                       {"access_log", "off"},
                       {"keepalive_timeout", "5s"}};
    std::string conf = render_nginx_config(config);
    CHECK(conf ==
          "# test\n"
          "daemon off;\n"
          "master_process on;\n"
          "pid /run/x/nginx.pid;\n"
          "worker_processes 2;\n"
          "error_log stderr;\n"
          "\n"
          "events {\n"
          "    worker_connections 512;\n"
          "}\n"
          "\n"
          "http {\n"
          "    access_log off;\n"
          "    client_body_temp_path /run/x/data/client_body;\n"
          "    proxy_temp_path /run/x/data/proxy;\n"
          "    fastcgi_temp_path /run/x/data/fastcgi;\n"
          "    uwsgi_temp_path /run/x/data/uwsgi;\n"
          "    scgi_temp_path /run/x/data/scgi;\n"
          "    keepalive_timeout 5s;\n"
          "\n"
          "    upstream benchctl_upstream {\n"
          "        server unix:/run/app.sock;\n"
          "        keepalive 8;\n"
          "    }\n"
          "\n"
          "    server {\n"
          "        listen 127.0.0.1:8080;\n"
          "        location = /__benchctl_ready {\n"
          "            access_log off;\n"
          "            return 204;\n"
          "        }\n"
          "        location / {\n"
          "            proxy_pass http://benchctl_upstream;\n"
          "            proxy_http_version 1.1;\n"
          "            proxy_set_header Connection \"\";\n"
          "            proxy_set_header Host $http_host;\n"
          "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
          "        }\n"
          "    }\n"
          "}\n");
}

TEST_CASE("runs the workers as root only when benchctl is root", "[services]") {
    NginxProxyConfig config = proxy();
    CHECK(render_nginx_config(config).find("user ") == std::string::npos);
    config.workers_as_root = true;
    CHECK(render_nginx_config(config).find("\nuser root root;\n") != std::string::npos);
}
