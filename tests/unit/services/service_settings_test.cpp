#include "services/service_settings.hpp"

#include <catch2/catch.hpp>

using benchctl::check_postgres_name;
using benchctl::check_service_setting;
using benchctl::ServiceKind;
using benchctl::SettingProblem;

namespace {

std::string what(const std::optional<SettingProblem>& problem) {
    return problem ? problem->what : "ok";
}

}  // namespace

TEST_CASE("a setting is a name the server could have, with a value on one line", "[services]") {
    CHECK(what(check_service_setting(ServiceKind::postgres, "max_connections", "200")) == "ok");
    CHECK(what(check_service_setting(ServiceKind::postgres, "auto_explain.log_min_duration",
                                     "10ms")) == "ok");
    CHECK(what(check_service_setting(ServiceKind::redis, "maxmemory-policy", "allkeys-lru")) ==
          "ok");
    CHECK(what(check_service_setting(ServiceKind::nginx, "keepalive_timeout", "65s 60s")) == "ok");
    CHECK(what(check_service_setting(ServiceKind::postgres, "Max-Connections", "1")) ==
          "malformed postgres setting name 'Max-Connections'");
    CHECK(what(check_service_setting(ServiceKind::redis, "max_memory", "1")) ==
          "malformed redis setting name 'max_memory'");
    CHECK(what(check_service_setting(ServiceKind::postgres, "work_mem", "4MB\nfsync=off")) ==
          "the postgres setting 'work_mem' spans lines");
    CHECK(what(check_service_setting(ServiceKind::nginx, "gzip", "on; include /etc/passwd")) ==
          "the nginx setting 'gzip' must be a value without ';', '{' or '}'");
}

TEST_CASE("a setting benchctl makes itself is refused with the reason", "[services]") {
    std::optional<SettingProblem> port = check_service_setting(ServiceKind::postgres, "port", "1");
    REQUIRE(port);
    CHECK(port->what == "benchctl sets the postgres setting 'port' itself");
    CHECK(port->hint == "remove it: benchctl gives it a free port: ${<name>.port}");
    CHECK(what(check_service_setting(ServiceKind::redis, "daemonize", "yes")) ==
          "benchctl sets the redis setting 'daemonize' itself");
    CHECK(what(check_service_setting(ServiceKind::nginx, "daemon", "on")) ==
          "benchctl sets the nginx setting 'daemon' itself");
}

TEST_CASE("postgres names are identifiers, and no database initdb made already", "[services]") {
    CHECK(what(check_postgres_name("database", "tasks")) == "ok");
    CHECK(what(check_postgres_name("user", "app_user")) == "ok");
    CHECK(what(check_postgres_name("database", "my-db")) ==
          "malformed postgres database name 'my-db'");
    CHECK(what(check_postgres_name("user", "1st")) == "malformed postgres user name '1st'");
    CHECK(what(check_postgres_name("database", std::string(64, 'a'))) ==
          "malformed postgres database name '" + std::string(64, 'a') + "'");
    CHECK(what(check_postgres_name("database", "template1")) ==
          "the database 'template1' exists in every new cluster");
    CHECK(what(check_postgres_name("user", "postgres")) == "ok");
}
