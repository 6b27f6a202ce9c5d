#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benchctl {

// The servers benchctl knows how to set up, start, probe and stop by name (a matrix's
// `services: {db: {kind: postgres}}`), as opposed to a service given as a command.
enum class ServiceKind { postgres, redis, nginx };

// "postgres", "redis", "nginx".
const char* service_kind_name(ServiceKind kind);

// The kind named `name`; nullopt for any other name.
std::optional<ServiceKind> service_kind_from_name(std::string_view name);

// Every kind's name, in declaration order (for "did you mean" and hints).
std::vector<std::string> service_kind_names();

// The Debian package that installs the kind's server: postgresql, redis-server, nginx-light.
const char* service_kind_package(ServiceKind kind);

// The variables a service offers the cells as ${<name>.<suffix>}, each suffix mapped to an example
// value for checks at validation: port and host for every service (`kind` nullopt: one given as a
// command); url for every kind; user, password and database for postgres.
std::map<std::string, std::string> service_variable_examples(std::optional<ServiceKind> kind);

}  // namespace benchctl
