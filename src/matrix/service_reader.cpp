#include "matrix/service_reader.hpp"

#include <fmt/format.h>

#include <set>
#include <stdexcept>

#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "services/nginx_config.hpp"
#include "services/server_programs.hpp"
#include "services/service_settings.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

// A scalar's text when it holds no variable (checks of shape wait for run time otherwise).
std::optional<std::string> literal(const DocNode* node) {
    if (node == nullptr || !node->is_scalar() || node->unresolved ||
        node->scalar.find('$') != std::string::npos) {
        return std::nullopt;
    }
    return node->scalar;
}

std::optional<ServiceKind> read_kind(const DocNode& kind, ProblemList& problems) {
    if (!kind.is_scalar()) {
        problems.add(kind.where, fmt::format("kind expects a name, got {}", kind_name(kind.kind)),
                     fmt::format("write one of {}", fmt::join(service_kind_names(), ", ")));
        return std::nullopt;
    }
    std::optional<ServiceKind> found = service_kind_from_name(kind.scalar);
    if (!found) {
        bool likely_typo = closest_name(kind.scalar, service_kind_names()).has_value();
        problems.add(
            kind.where, fmt::format("unknown service kind '{}'", kind.scalar),
            unknown_name_hint(kind.scalar, service_kind_names(), "known kinds") +
                (likely_typo ? "" : "; or write command: [...] to start a server of your own"));
    }
    return found;
}

// `service` without command and shell, which are reported once here rather than as unknown keys.
DocNode without_command(const DocNode& service, ServiceKind kind, ProblemList& problems) {
    DocNode checked = service;
    checked.entries.clear();
    for (const DocEntry& entry : service.entries) {
        if (entry.key == "command" || entry.key == "shell") {
            problems.add(entry.key_where,
                         fmt::format("a service of kind {} takes no {}: benchctl starts the server "
                                     "itself",
                                     service_kind_name(kind), entry.key),
                         fmt::format("remove {} (or remove kind: to start a command of your own)",
                                     entry.key));
        } else {
            checked.entries.push_back(entry);
        }
    }
    return checked;
}

void check_settings(const DocNode& service, ServiceKind kind, ProblemList& problems) {
    const DocNode* settings = service.find("settings");
    if (settings == nullptr || !settings->is_map())
        return;
    for (const DocEntry& entry : settings->entries) {
        std::string value = literal(&entry.value).value_or("value");
        if (auto problem = check_service_setting(kind, entry.key, value)) {
            // With a harmless value, a name that passes leaves the value at fault.
            bool name_is_fine = !check_service_setting(kind, entry.key, "value");
            problems.add(name_is_fine ? entry.value.where : entry.key_where, problem->what,
                         problem->hint);
        }
    }
}

void check_postgres(const DocNode& service, ProblemList& problems) {
    if (const DocNode* databases = service.find("databases");
        databases != nullptr && databases->is_list()) {
        std::set<std::string> seen;
        for (const DocNode& item : databases->items) {
            std::optional<std::string> name = literal(&item);
            if (!name)
                continue;
            if (auto problem = check_postgres_name("database", *name))
                problems.add(item.where, problem->what, problem->hint);
            else if (!seen.insert(*name).second)
                problems.add(item.where, fmt::format("database '{}' is listed twice", *name),
                             "list each database once");
        }
    }
    if (std::optional<std::string> user = literal(service.find("user"))) {
        if (auto problem = check_postgres_name("user", *user))
            problems.add(service.find("user")->where, problem->what, problem->hint);
    }
    if (const DocNode* password = service.find("password");
        password != nullptr && password->is_scalar() &&
        (password->scalar.empty() || password->scalar.find('\n') != std::string::npos)) {
        problems.add(password->where, "a postgres password must be one non-empty line",
                     "write a password, or remove the key: connections from 127.0.0.1 are then "
                     "trusted");
    }
}

void check_nginx(const DocEntry& entry, const DocNode& service, const Variables& runtime,
                 ProblemList& problems) {
    const DocNode* upstream = service.find("upstream");
    if (upstream == nullptr || upstream->kind == DocNode::Kind::null) {
        problems.add(entry.key_where, fmt::format("nginx service '{}' has no upstream", entry.key),
                     "add upstream: the address it forwards to, e.g. 127.0.0.1:${app.port}, "
                     "http://127.0.0.1:8000 or unix:${run_dir}/app.sock");
        return;
    }
    if (!upstream->is_scalar() || upstream->unresolved)
        return;
    // A socket path made of ${run_dir} is only whole at run time.
    if (upstream->scalar.rfind("unix:", 0) == 0 && upstream->scalar.find('$') != std::string::npos)
        return;
    try {
        parse_nginx_upstream(substitute_variables(upstream->scalar, runtime));
    } catch (const std::invalid_argument& error) {
        problems.add(upstream->where, error.what(),
                     "write host:port, http://host:port or unix:/path/to.sock");
    } catch (const std::out_of_range&) {
        // An unknown variable: reported by the variable check.
    }
}

void check_server(const DocNode& kind_node, const std::string& name, ServiceKind kind,
                  ProblemList& problems) {
    try {
        find_server_programs(kind);
    } catch (const UserError& error) {
        problems.add(kind_node.where, fmt::format("service '{}': {}", name, error.what()),
                     error.hint());
    }
}

std::string text_of(const DocNode* node, std::string fallback) {
    return node != nullptr && node->is_scalar() ? node->scalar : fallback;
}

std::chrono::nanoseconds duration_of(const DocNode* map, const char* key,
                                     std::chrono::nanoseconds fallback) {
    const DocNode* node = map != nullptr && map->is_map() ? map->find(key) : nullptr;
    if (std::optional<std::string> text = literal(node)) {
        try {
            return parse_duration(*text, key);
        } catch (const std::exception&) {
            // Reported by check_map.
        }
    }
    return fallback;
}

ServiceConfig read_config(const DocNode& service, ServiceKind kind) {
    ServiceConfig config;
    config.kind = kind;
    if (const DocNode* settings = service.find("settings");
        settings != nullptr && settings->is_map()) {
        for (const DocEntry& entry : settings->entries)
            config.settings.emplace_back(entry.key, entry.value.scalar);
    }
    config.keep_data = text_of(service.find("keep_data"), "false") == "true";
    if (const DocNode* databases = service.find("databases");
        databases != nullptr && databases->is_list()) {
        for (const DocNode& item : databases->items)
            config.databases.push_back(item.scalar);
    }
    config.user = text_of(service.find("user"), config.user);
    if (const DocNode* password = service.find("password");
        password != nullptr && password->is_scalar())
        config.password = password->scalar;
    config.upstream = text_of(service.find("upstream"), "");
    config.ready_timeout = duration_of(service.find("ready"), "timeout", config.ready_timeout);
    config.stop_grace = duration_of(service.find("stop"), "grace", config.stop_grace);
    return config;
}

}  // namespace

std::optional<ServiceConfig> read_kind_service(const DocEntry& entry, const DocNode& service,
                                               const Variables& runtime, ServerCheck server_check,
                                               ProblemList& problems) {
    const DocNode& kind_node = *service.find("kind");
    std::optional<ServiceKind> kind = read_kind(kind_node, problems);
    if (!kind)
        return std::nullopt;
    DocNode checked = without_command(service, *kind, problems);
    check_map(checked, service_kind_schema(*kind), problems, &runtime);
    check_settings(checked, *kind, problems);
    if (*kind == ServiceKind::postgres)
        check_postgres(checked, problems);
    if (*kind == ServiceKind::nginx)
        check_nginx(entry, checked, runtime, problems);
    if (server_check == ServerCheck::yes)
        check_server(kind_node, entry.key, *kind, problems);
    return read_config(checked, *kind);
}

}  // namespace benchctl
