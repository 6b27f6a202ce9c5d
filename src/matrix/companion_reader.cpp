#include "matrix/companion_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "matrix/service_reader.hpp"
#include "matrix/spec_reader.hpp"
#include "services/service_kind.hpp"

namespace benchctl {

namespace {

constexpr std::string_view k_companion_name_characters = "abcdefghijklmnopqrstuvwxyz0123456789_";
constexpr const char* k_default_upstream = "127.0.0.1:${app_port}";

// Whether a scalar below `node` names ${<name>}.
bool uses_variable(const DocNode* node, const std::string& name) {
    if (node == nullptr)
        return false;
    if (node->is_scalar()) {
        try {
            const std::vector<std::string> names = variable_names(node->scalar);
            return std::find(names.begin(), names.end(), name) != names.end();
        } catch (const std::invalid_argument&) {
            return false;  // reported by the variable check
        }
    }
    return std::any_of(node->items.begin(), node->items.end(),
                       [&](const DocNode& item) { return uses_variable(&item, name); }) ||
           std::any_of(node->entries.begin(), node->entries.end(),
                       [&](const DocEntry& entry) { return uses_variable(&entry.value, name); });
}

bool starts_program_with(const DocNode& target, const std::string& name) {
    return uses_variable(target.find("command"), name) ||
           uses_variable(target.find("shell"), name) || uses_variable(target.find("env"), name);
}

void check_name(const DocEntry& entry, ProblemList& problems) {
    if (entry.key.empty() ||
        entry.key.find_first_not_of(k_companion_name_characters) != std::string::npos) {
        problems.add(entry.key_where, fmt::format("malformed companion name '{}'", entry.key),
                     "use lowercase letters, digits and '_' (it names the companion's log and "
                     "its row in the cell's resources)");
    } else if (entry.key == "target") {
        problems.add(entry.key_where, "the companion name 'target' is taken",
                     "name it otherwise (proxy, nginx ...): 'target' is the cell's own server in "
                     "its resources");
    }
}

// `kind: nginx` read as an nginx service in front of ${app_port} unless it names an upstream.
std::optional<ServiceConfig> read_kind_companion(const DocEntry& entry, const DocNode& companion,
                                                 const Variables& runtime, HostCheck* host,
                                                 ProblemList& problems) {
    const DocNode& kind = *companion.find("kind");
    if (kind.is_scalar() && kind.scalar != "nginx" && kind.scalar != "postgres" &&
        kind.scalar != "redis") {
        problems.add(kind.where, fmt::format("unknown companion kind '{}'", kind.scalar),
                     "write kind: nginx (a reverse proxy in front of the target), or command: "
                     "[...] to start a companion of your own");
        return std::nullopt;
    }
    if (kind.is_scalar() && kind.scalar != "nginx") {
        problems.add(kind.where,
                     fmt::format("a companion cannot be of kind {}: it is a service", kind.scalar),
                     fmt::format("move it to services: (one {} for the run), or write kind: nginx "
                                 "or a command",
                                 kind.scalar));
        return std::nullopt;
    }
    DocNode filled = companion;
    if (filled.find("upstream") == nullptr) {
        DocNode upstream;
        upstream.kind = DocNode::Kind::scalar;
        upstream.scalar = k_default_upstream;
        upstream.where = kind.where;
        filled.entries.push_back({"upstream", entry.key_where, upstream});
    }
    DocEntry named = entry;
    named.value = filled;
    return read_kind_service(named, filled, runtime,
                             host != nullptr ? ServerCheck::yes : ServerCheck::no, problems);
}

std::optional<CompanionSpec> read_command_companion(const DocEntry& entry, const DocNode& companion,
                                                    const Variables& runtime, HostCheck* host,
                                                    ProblemList& problems) {
    check_map(companion, companion_schema(), problems, &runtime);
    if (!companion.is_map())
        return std::nullopt;
    const bool has_command = check_complete_target(companion, problems);
    if (!has_command) {
        problems.add(entry.key_where, fmt::format("companion '{}' has no command", entry.key),
                     "add command: [program, arg, ...] (or shell: \"...\"), or kind: nginx");
    }
    const TargetSpec command = read_target(companion);
    if (has_command && command.ready.kind != ReadinessKind::log &&
        !starts_program_with(companion, "port")) {
        problems.add(entry.key_where,
                     fmt::format("companion '{}' never uses ${{port}}, the port its readiness "
                                 "probe connects to (and the load is sent to)",
                                 entry.key),
                     "pass it ${port}, e.g. [proxy, --listen, \"${port}\", --to, "
                     "\"${app_port}\"]; or use ready: {log: <regex>}");
    }
    if (host != nullptr)
        host->check(companion, problems);
    return CompanionSpec{entry.key, entry.key_where, command, std::nullopt};
}

void check_target_side(const DocNode& target, const DocNode& companions, ProblemList& problems) {
    // Its tcp and http probes connect to ${app_port}; one on a Unix socket (an nginx upstream
    // unix:...) is probed by its log instead.
    if ((target.find("command") != nullptr || target.find("shell") != nullptr) &&
        read_target(target).ready.kind != ReadinessKind::log &&
        !starts_program_with(target, "app_port")) {
        problems.add(companions.where,
                     "the target has companions but never uses ${app_port}, the port they "
                     "forward to",
                     "start the server on ${app_port}, e.g. [server, --port, \"${app_port}\"]: "
                     "${port} is the companion's (where the load goes)");
    }
}

}  // namespace

std::vector<CompanionSpec> read_companions(const DocNode& target, const DocNode& load,
                                           const Variables& runtime, HostCheck* host,
                                           ProblemList& problems) {
    std::vector<CompanionSpec> result;
    const DocNode* companions = target.find("companions");
    if (companions == nullptr || companions->kind == DocNode::Kind::null ||
        (companions->is_map() && companions->entries.empty())) {
        for (const DocNode* node : {&target, &load}) {
            if (uses_variable(node, "app_port")) {
                problems.add(node->where, "${app_port} is only set for a target with companions",
                             "use ${port}, or add target.companions (e.g. {proxy: {kind: "
                             "nginx}}) in front of a target on ${app_port}");
            }
        }
        return result;
    }
    if (!companions->is_map()) {
        problems.add(companions->where,
                     fmt::format("companions expects a map of companions, got {}",
                                 kind_name(companions->kind)),
                     "write companions: {proxy: {kind: nginx}} or {proxy: {command: [...]}}");
        return result;
    }
    check_duplicate_keys(*companions, problems);
    check_target_side(target, *companions, problems);
    for (const DocEntry& entry : companions->entries) {
        check_name(entry, problems);
        const DocNode& companion = entry.value;
        if (companion.is_map() && companion.find("kind") != nullptr) {
            if (std::optional<ServiceConfig> config =
                    read_kind_companion(entry, companion, runtime, host, problems))
                result.push_back({entry.key, entry.key_where, TargetSpec{}, std::move(config)});
        } else if (std::optional<CompanionSpec> command =
                       read_command_companion(entry, companion, runtime, host, problems)) {
            result.push_back(std::move(*command));
        }
    }
    return result;
}

}  // namespace benchctl
