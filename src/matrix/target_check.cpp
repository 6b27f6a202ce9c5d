#include "matrix/target_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "matrix/problem_list.hpp"
#include "matrix/spec_reader.hpp"
#include "matrix/variables.hpp"

namespace benchctl {

namespace {

bool names_port(const std::string& text) {
    try {
        std::vector<std::string> names = variable_names(text);
        return std::find(names.begin(), names.end(), "port") != names.end();
    } catch (const std::invalid_argument&) {
        return false;  // reported by the variable check
    }
}

bool any_scalar_names_port(const DocNode* node) {
    if (node == nullptr)
        return false;
    if (node->is_scalar())
        return names_port(node->scalar);
    return std::any_of(node->items.begin(), node->items.end(),
                       [](const DocNode& item) { return any_scalar_names_port(&item); }) ||
           std::any_of(node->entries.begin(), node->entries.end(),
                       [](const DocEntry& entry) { return any_scalar_names_port(&entry.value); });
}

// The command or shell that starts the program, or nullptr when there is none (reported
// elsewhere) or one of its strings could not be resolved.
const DocNode* program_node(const DocNode& target) {
    for (const char* key : {"command", "shell"}) {
        const DocNode* node = target.find(key);
        if (node != nullptr && node->kind != DocNode::Kind::null)
            return node;
    }
    return nullptr;
}

bool uses_port(const DocNode& target) {
    return any_scalar_names_port(target.find("command")) ||
           any_scalar_names_port(target.find("shell")) || any_scalar_names_port(target.find("env"));
}

bool has_unresolved(const DocNode* node) {
    if (node == nullptr)
        return false;
    return node->unresolved ||
           std::any_of(node->items.begin(), node->items.end(),
                       [](const DocNode& item) { return has_unresolved(&item); }) ||
           std::any_of(node->entries.begin(), node->entries.end(),
                       [](const DocEntry& entry) { return has_unresolved(&entry.value); });
}

bool probe_connects(const DocNode& target) {
    return read_target(target).ready.kind != ReadinessKind::log;
}

}  // namespace

void check_target_port(const DocNode& target, const DocNode& load, ProblemList& problems) {
    const DocNode* program = program_node(target);
    if (program == nullptr || has_unresolved(&target) || uses_port(target))
        return;
    bool load_goes_there = names_port(read_load(load).url);
    bool probe_goes_there = probe_connects(target);
    if (load_goes_there) {
        problems.add(program->where, "the target never uses ${port}, the port its load is sent to",
                     "pass it to the server, e.g. [server, --port, \"${port}\"] or env: {PORT: "
                     "\"${port}\"}; for a server on a fixed port, set load.url to its address "
                     "and ready: {log: <regex>}");
    } else if (probe_goes_there) {
        problems.add(program->where,
                     "the target never uses ${port}, the port its readiness probe connects to",
                     "the tcp and http probes connect to 127.0.0.1:${port}; for a server on a "
                     "fixed port, use ready: {log: <regex>}");
    }
}

void check_service_port(const std::string& name, const DocNode& service, ProblemList& problems) {
    const DocNode* program = program_node(service);
    if (program == nullptr || has_unresolved(&service) || uses_port(service) ||
        !probe_connects(service)) {
        return;
    }
    problems.add(program->where,
                 fmt::format("service '{}' never uses ${{port}}, the port its readiness probe "
                             "connects to",
                             name),
                 "pass it to the service, e.g. [redis-server, --port, \"${port}\"]; for a "
                 "service on a fixed port, use ready: {log: <regex>}");
}

}  // namespace benchctl
