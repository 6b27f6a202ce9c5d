#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/service_kind.hpp"

namespace benchctl {

// The role benchctl creates in a postgres service when the matrix names none, and its password.
inline constexpr const char* k_default_postgres_user = "benchctl";
inline constexpr const char* k_default_postgres_password = "benchctl";

// What a matrix file says of a service of a known kind (docs/matrix.md, "Service kinds"). The
// matrix stage fills it; its strings may hold run-time variables (${port}, ${run_dir}, an
// earlier service's ${<name>.port}) until the runner fills them in before the start.
struct ServiceConfig {
    ServiceKind kind = ServiceKind::postgres;
    // Server settings in file order: postgres `-c key=value`, redis `--key value`, nginx
    // directives (worker_processes ...) placed in the context they belong to.
    std::vector<std::pair<std::string, std::string>> settings;
    bool keep_data = false;  // keep services/<name>/data after the run
    // postgres: databases created once the server is ready; the first is ${<name>.database}.
    std::vector<std::string> databases;
    std::string user = k_default_postgres_user;  // postgres: the role the cells connect as
    // postgres: a password given in the file is checked (scram-sha-256); without one, connections
    // from 127.0.0.1 are trusted and the default password, set on the role all the same, is
    // never asked for.
    std::optional<std::string> password;
    std::string upstream;  // nginx: host:port, http://host:port or unix:/path
    std::chrono::nanoseconds ready_timeout = std::chrono::seconds(60);
    std::chrono::nanoseconds stop_grace = std::chrono::seconds(10);
};

}  // namespace benchctl
