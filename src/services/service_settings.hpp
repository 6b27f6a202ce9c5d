#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/service_kind.hpp"

namespace benchctl {

// Why a value a matrix gives a service cannot be used, and what to do.
struct SettingProblem {
    std::string what;
    std::string hint;
};

// Checks one entry of a service's `settings:` for `kind`: a name the server could have (postgres
// [a-z_][a-z0-9_.]*, redis [a-z][a-z0-9-]*, nginx [a-z][a-z0-9_]*) that benchctl does not set
// itself (the port, the address, the data directory, daemon mode ...), and a value on one line
// (for nginx also without ';', '{' or '}', which would end the directive). nullopt when usable.
std::optional<SettingProblem> check_service_setting(ServiceKind kind, std::string_view name,
                                                    std::string_view value);

// Checks a postgres database or role name: [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes, and for a
// database none of those initdb creates (postgres, template0, template1). `what` is "database"
// or "user".
std::optional<SettingProblem> check_postgres_name(std::string_view what, std::string_view name);

}  // namespace benchctl
