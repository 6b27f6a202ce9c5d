#include "services/service_plan.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <stdexcept>

using benchctl::plan_service;
using benchctl::ServiceConfig;
using benchctl::ServiceKind;
using benchctl::ServicePlan;
using benchctl::ServiceSite;
using Argv = std::vector<std::string>;

namespace {

ServiceSite site() {
    ServiceSite site;
    site.name = "db";
    site.port = 5433;
    site.dir = "/run/services/db";
    site.data_dir = "/run/services/db/data";
    site.access_log_path = "/run/logs/service-db.access.log";
    site.programs.paths = {{"initdb", "/pg/initdb"},
                           {"postgres", "/pg/postgres"},
                           {"createdb", "/pg/createdb"},
                           {"redis-server", "/usr/bin/redis-server"},
                           {"nginx", "/usr/sbin/nginx"}};
    return site;
}

ServiceConfig config(ServiceKind kind) {
    ServiceConfig config;
    config.kind = kind;
    return config;
}

}  // namespace

TEST_CASE("a postgres plan: initdb and the server as the server user, then the databases",
          "[services]") {
    ServiceConfig postgres = config(ServiceKind::postgres);
    postgres.databases = {"tasks", "audit"};
    postgres.settings = {{"fsync", "off"}, {"max_connections", "200"}};
    ServicePlan plan = plan_service(postgres, site());
    REQUIRE(plan.files.size() == 1);
    CHECK(plan.files[0].path == "/run/services/db/data/password");
    CHECK(plan.files[0].content == "benchctl\n");
    CHECK(plan.files[0].setup_only);
    REQUIRE(plan.setup.size() == 1);
    CHECK(plan.setup[0].as_server_user);
    CHECK(plan.setup[0].argv ==
          Argv{"/pg/initdb", "--pgdata=/run/services/db/data/cluster", "--username=benchctl",
               "--pwfile=/run/services/db/data/password", "--auth-local=trust", "--auth-host=trust",
               "--encoding=UTF8", "--locale=C", "--no-sync"});
    CHECK(plan.server.as_server_user);
    CHECK(plan.server.argv == Argv{"/pg/postgres", "-D", "/run/services/db/data/cluster", "-p",
                                   "5433", "-c", "listen_addresses=127.0.0.1", "-c",
                                   "unix_socket_directories=", "-c", "fsync=off", "-c",
                                   "max_connections=200"});
    CHECK(plan.ready.kind == benchctl::ReadinessKind::protocol);
    CHECK(plan.ready.protocol_name == "PostgreSQL startup");
    REQUIRE(plan.after_ready.size() == 2);
    CHECK_FALSE(plan.after_ready[1].as_server_user);
    CHECK(plan.after_ready[1].argv == Argv{"/pg/createdb", "--host", "127.0.0.1", "--port", "5433",
                                           "--username", "benchctl", "--no-password", "audit"});
    CHECK(plan.after_ready[1].env.at("PGPASSWORD") == "benchctl");
    CHECK(plan.version == Argv{"/pg/postgres", "--version"});
    CHECK(plan.stop_signal == SIGINT);
    CHECK(plan.variables == std::map<std::string, std::string>{
                                {"port", "5433"},
                                {"host", "127.0.0.1"},
                                {"user", "benchctl"},
                                {"password", "benchctl"},
                                {"database", "tasks"},
                                {"url", "postgresql://benchctl:benchctl@127.0.0.1:5433/tasks"}});
}

TEST_CASE("a postgres password of the matrix's own is checked and encoded in the URL",
          "[services]") {
    ServiceConfig postgres = config(ServiceKind::postgres);
    postgres.user = "app";
    postgres.password = "p@ss word/1";
    ServicePlan plan = plan_service(postgres, site());
    CHECK(plan.setup[0].argv[5] == "--auth-host=scram-sha-256");
    CHECK(plan.files[0].content == "p@ss word/1\n");
    CHECK(plan.variables.at("database") == "postgres");
    CHECK(plan.variables.at("url") == "postgresql://app:p%40ss%20word%2F1@127.0.0.1:5433/postgres");
}

TEST_CASE("a redis plan keeps nothing on disk unless its settings say so", "[services]") {
    ServiceConfig redis = config(ServiceKind::redis);
    redis.settings = {{"save", "900 1"}, {"maxmemory", "64mb"}};
    ServicePlan plan = plan_service(redis, site());
    CHECK(plan.setup.empty());
    CHECK_FALSE(plan.server.as_server_user);
    CHECK(plan.server.argv == Argv{"/usr/bin/redis-server", "--port", "5433", "--bind", "127.0.0.1",
                                   "--save", "", "--appendonly", "no", "--dir",
                                   "/run/services/db/data", "--daemonize", "no", "--save", "900 1",
                                   "--maxmemory", "64mb"});
    CHECK(plan.ready.protocol_name == "redis PING");
    CHECK(plan.variables.at("url") == "redis://127.0.0.1:5433/0");
    CHECK(plan.stop_signal == SIGTERM);
}

TEST_CASE("an nginx plan writes its config and is ready on its own path", "[services]") {
    ServiceConfig nginx = config(ServiceKind::nginx);
    nginx.upstream = "http://127.0.0.1:8000";
    ServicePlan plan = plan_service(nginx, site());
    REQUIRE(plan.files.size() == 1);
    CHECK(plan.files[0].path == "/run/services/db/nginx.conf");
    CHECK(plan.files[0].content.find("server 127.0.0.1:8000;") != std::string::npos);
    CHECK(plan.files[0].content.find("listen 127.0.0.1:5433;") != std::string::npos);
    CHECK(plan.server.argv ==
          Argv{"/usr/sbin/nginx", "-p", "/run/services/db/", "-c", "/run/services/db/nginx.conf"});
    CHECK(plan.ready.kind == benchctl::ReadinessKind::http);
    CHECK(plan.ready.http_path == "/__benchctl_ready");
    CHECK(plan.ready.expected_status == 204);
    CHECK(plan.variables.at("url") == "http://127.0.0.1:5433");
    nginx.upstream = "https://example.org";
    CHECK_THROWS_AS(plan_service(nginx, site()), std::invalid_argument);
}

TEST_CASE("percent-encoding leaves only RFC 3986's unreserved characters", "[services]") {
    CHECK(benchctl::percent_encode("a-Z_0.9~") == "a-Z_0.9~");
    CHECK(benchctl::percent_encode("a:b@c/d e%") == "a%3Ab%40c%2Fd%20e%25");
}

TEST_CASE("a postgres that serves other hosts listens everywhere and asks them for the password",
          "[services]") {
    ServiceSite remote = site();
    remote.address = "10.0.0.3";
    ServiceConfig postgres = config(ServiceKind::postgres);
    postgres.databases = {"app"};
    ServicePlan plan = plan_service(postgres, remote);
    CHECK(plan.server.argv == Argv{"/pg/postgres", "-D", "/run/services/db/data/cluster", "-p",
                                   "5433", "-c", "listen_addresses=0.0.0.0", "-c",
                                   "unix_socket_directories=", "-c",
                                   "hba_file=/run/services/db/data/pg_hba.conf"});
    REQUIRE(plan.files.size() == 2);
    CHECK(plan.files[1].path == "/run/services/db/data/pg_hba.conf");
    CHECK_FALSE(plan.files[1].setup_only);
    CHECK_THAT(plan.files[1].content,
               Catch::Contains("host all all 127.0.0.1/32 trust\n") &&
                   Catch::Contains("host all all 0.0.0.0/0 scram-sha-256\n") &&
                   !Catch::Contains("0.0.0.0/0 trust"));
    // The databases are created on the host itself, over its 127.0.0.1.
    CHECK(plan.after_ready.at(0).argv.at(2) == "127.0.0.1");
    CHECK(plan.variables.at("host") == "10.0.0.3");
    CHECK(plan.variables.at("url") == "postgresql://benchctl:benchctl@10.0.0.3:5433/app");
}

TEST_CASE("redis and nginx that serve other hosts listen everywhere and name that host",
          "[services]") {
    ServiceSite remote = site();
    remote.address = "fd00::3";
    ServicePlan redis = plan_service(config(ServiceKind::redis), remote);
    CHECK(redis.server.argv.at(4) == "0.0.0.0");
    CHECK(Argv(redis.server.argv.end() - 2, redis.server.argv.end()) ==
          Argv{"--protected-mode", "no"});
    const Argv local = plan_service(config(ServiceKind::redis), site()).server.argv;
    CHECK(std::count(local.begin(), local.end(), "--protected-mode") == 0);
    CHECK(redis.variables.at("host") == "fd00::3");
    CHECK(redis.variables.at("url") == "redis://[fd00::3]:5433/0");
    ServiceConfig nginx = config(ServiceKind::nginx);
    nginx.upstream = "127.0.0.1:8000";
    ServicePlan proxy = plan_service(nginx, remote);
    CHECK_THAT(proxy.files.at(0).content, Catch::Contains("listen 0.0.0.0:5433;"));
    CHECK(proxy.variables.at("url") == "http://[fd00::3]:5433");
}
