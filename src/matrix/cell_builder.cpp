#include "matrix/cell_builder.hpp"

#include <fmt/format.h>

#include <set>

#include "matrix/companion_reader.hpp"
#include "matrix/document_merge.hpp"
#include "matrix/host_reader.hpp"
#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/request_reader.hpp"
#include "matrix/schema_check.hpp"
#include "matrix/service_reader.hpp"
#include "matrix/spec_reader.hpp"
#include "matrix/target_check.hpp"
#include "matrix/threshold_reader.hpp"
#include "matrix/variable_scope.hpp"

namespace benchctl {

namespace {

constexpr std::string_view k_name_characters = "abcdefghijklmnopqrstuvwxyz0123456789_";

// ${axis}, ${axis.label} and ${axis.<field>} for one cell, and why a field that other values of
// an axis have is missing from this one (worked out only when asked, so that a cell costs the
// same whatever the number of values and fields of the other values).
VariableScope cell_scope(const std::vector<const AxisValueSource*>& values,
                         const CellDefaults& defaults) {
    VariableScope scope{{}, defaults.runtime, {}, {}};
    for (const AxisValueSource* source : values) {
        const AxisValue& value = source->value;
        auto add = [&](const std::string& name, const std::string& text) {
            scope.values[name] = text;
            scope.value_order.push_back(name);
        };
        add(value.axis, value.name);
        add(value.axis + ".label", escape_variables(value.label));
        for (const auto& [field, text] : value.fields)
            add(value.axis + "." + field, text);
    }
    const std::vector<std::set<std::string, std::less<>>>& axis_fields = defaults.axis_fields;
    scope.why_missing = [values,
                         &axis_fields](std::string_view name) -> std::optional<std::string> {
        std::size_t dot = name.find('.');
        for (std::size_t a = 0; dot != std::string_view::npos && a < values.size(); ++a) {
            const AxisValue& value = values[a]->value;
            std::string_view field = name.substr(dot + 1);
            if (value.axis != name.substr(0, dot) || a >= axis_fields.size() ||
                axis_fields[a].count(field) == 0 || value.fields.count(std::string(field)) > 0) {
                continue;
            }
            return fmt::format("value '{}' of axis '{}' has no field '{}'", value.name, value.axis,
                               field);
        }
        return std::nullopt;
    };
    return scope;
}

DocNode merged(const DocNode& base, const std::vector<const DocNode*>& layers) {
    DocNode result = base;
    for (const DocNode* layer : layers)
        result = merge_documents(result, *layer);
    return result;
}

// The thresholds laid over the top level's, in the order load settings are: axis values, include
// rules, --set. Each layer was checked where it was written, so a bad one is reported once, not
// once per cell.
std::vector<const DocNode*> threshold_layers(const std::vector<const AxisValueSource*>& values,
                                             const CellPlan& plan, const CellDefaults& defaults) {
    std::vector<const DocNode*> layers;
    for (const AxisValueSource* value : values) {
        if (value->thresholds)
            layers.push_back(&*value->thresholds);
    }
    for (const DocNode& thresholds : plan.thresholds)
        layers.push_back(&thresholds);
    for (const DocNode& thresholds : defaults.threshold_sets)
        layers.push_back(&thresholds);
    return layers;
}

// Whether a tree placed on `host` runs on this machine (no host, or a local one), so that its
// programs and CPUs can be checked here.
bool runs_here(const std::string& host, const std::vector<HostSpec>& hosts) {
    const HostSpec* spec = find_host(hosts, host);
    return spec == nullptr || spec->local;
}

// A service given as a command, checked as a cell's target is; nullopt when it is no map.
std::optional<TargetSpec> read_command_service(const DocEntry& entry, const DocNode& service,
                                               const Variables& runtime, HostCheck* host,
                                               ProblemList& problems) {
    check_map(service, target_schema(), problems, &runtime);
    if (!service.is_map())
        return std::nullopt;
    if (!check_complete_target(service, problems)) {
        problems.add(entry.key_where, fmt::format("service '{}' has no command", entry.key),
                     "add command: [program, arg, ...] (or shell: \"...\"), or kind: "
                     "postgres, redis or nginx");
    }
    check_service_port(entry.key, service, problems);
    if (const DocNode* scope = service.find("scope")) {
        problems.add(scope->where, "scope is for a cell's target: a service runs once per run",
                     "remove scope from the service");
    }
    if (const DocNode* companions = service.find("companions")) {
        problems.add(companions->where, "companions are for a cell's target, not a service",
                     "start the proxy as a service of its own (kind: nginx, upstream: ...)");
    }
    if (host != nullptr)
        host->check(service, problems);
    return read_target(service);
}

}  // namespace

std::vector<std::set<std::string, std::less<>>> field_names(const std::vector<AxisSource>& axes) {
    std::vector<std::set<std::string, std::less<>>> names(axes.size());
    for (std::size_t a = 0; a < axes.size(); ++a) {
        for (const AxisValueSource& value : axes[a].values) {
            for (const auto& [field, text] : value.value.fields)
                names[a].insert(field);
        }
    }
    return names;
}

Cell build_cell(const CellPlan& plan, const std::vector<AxisSource>& axes,
                const CellDefaults& defaults, ProblemList& problems, bool& has_command) {
    Cell cell;
    std::vector<const AxisValueSource*> values;
    std::vector<std::string> names;
    std::vector<const DocNode*> target_layers, load_layers;
    for (std::size_t a = 0; a < axes.size(); ++a) {
        const AxisValueSource& value = axes[a].values[plan.values[a]];
        values.push_back(&value);
        names.push_back(value.value.name);
        cell.values.push_back(value.value);
        if (value.target)
            target_layers.push_back(&*value.target);
        if (value.load)
            load_layers.push_back(&*value.load);
    }
    cell.id = fmt::format("{}", fmt::join(names, "."));
    for (const DocNode& target : plan.targets)
        target_layers.push_back(&target);
    for (const DocNode& load : plan.loads)
        load_layers.push_back(&load);
    for (const DocNode& target : defaults.target_sets)
        target_layers.push_back(&target);
    for (const DocNode& load : defaults.load_sets)
        load_layers.push_back(&load);

    cell.thresholds =
        read_thresholds(merged(defaults.thresholds, threshold_layers(values, plan, defaults)));
    VariableScope scope = cell_scope(values, defaults);
    DocNode target = merged(defaults.target, target_layers);
    DocNode load = merged(defaults.load, load_layers);
    substitute_tree(target, scope, problems);
    substitute_tree(load, scope, problems);
    check_map(target, target_schema(), problems, &defaults.runtime);
    check_map(load, load_schema(), problems, &defaults.runtime);
    check_request_shapes(load, problems, &defaults.runtime);
    has_command = check_complete_target(target, problems);
    if (const DocNode* scope_node = target.find("scope");
        scope_node != nullptr && scope_node->is_scalar() && !scope_node->unresolved &&
        scope_node->scalar != "run" && scope_node->scalar != "cell") {
        problems.add(scope_node->where,
                     fmt::format("unknown target scope '{}'", scope_node->scalar),
                     "write scope: cell (a target per cell, the default) or scope: run (one "
                     "target shared by the cells)");
    }
    check_complete_load(load, defaults.directory, defaults.runtime, *defaults.data_sets, problems);
    // With companions, ${port} is theirs and the target listens on ${app_port}.
    std::vector<CompanionSpec> companions =
        read_companions(target, load, defaults.runtime, defaults.host, problems);
    if (target.find("companions") == nullptr)
        check_target_port(target, load, problems);
    const std::string host = read_placement(target.find("host"), defaults.hosts, problems);
    if (!runs_here(host, defaults.hosts))
        check_remote_target(target, problems);
    cell.agents = read_load_agents(load, defaults.hosts, problems);
    if (defaults.host != nullptr) {
        if (runs_here(host, defaults.hosts))
            defaults.host->check(target, problems);
        if (cell.agents.empty())
            defaults.host->check_cpus(load.find("cpus"), problems);
    }
    cell.target = read_target(target);
    cell.target.host = host;
    cell.target.companions = std::move(companions);
    cell.load = read_load(load);
    cell.load.base_directory = defaults.directory;
    return cell;
}

std::vector<ServiceSpec> build_services(const DocNode* services, const std::vector<HostSpec>& hosts,
                                        ProblemList& problems, HostCheck* host) {
    std::vector<ServiceSpec> result;
    if (services == nullptr || services->kind == DocNode::Kind::null)
        return result;
    if (!services->is_map()) {
        problems.add(
            services->where,
            fmt::format("services expects a map of services, got {}", kind_name(services->kind)),
            "write services: {db: {kind: postgres}} or {redis: {command: [...], ready: {tcp: "
            "true}}}");
        return result;
    }
    check_duplicate_keys(*services, problems);
    std::vector<ServiceName> earlier;
    for (const DocEntry& entry : services->entries) {
        if (entry.key.empty() ||
            entry.key.find_first_not_of(k_name_characters) != std::string::npos) {
            problems.add(
                entry.key_where, fmt::format("malformed service name '{}'", entry.key),
                "use lowercase letters, digits and '_' (it is used as ${" + entry.key + ".port})");
        } else if (entry.key == "setup") {
            problems.add(entry.key_where, "the service name 'setup' is taken",
                         "name it otherwise: ${setup.<name>} are the captures of setup steps");
        }
        VariableScope scope{{}, runtime_variables(earlier), {}, {}};
        scope.runtime.erase("target.host");  // a cell's, not a service's
        DocNode service = entry.value;
        substitute_tree(service, scope, problems);
        const std::string placed =
            service.is_map() ? read_placement(service.find("host"), hosts, problems) : "";
        HostCheck* here = runs_here(placed, hosts) ? host : nullptr;
        if (!runs_here(placed, hosts))
            check_remote_service(service, problems);
        if (service.is_map() && service.find("kind") != nullptr) {
            ServerCheck server_check = here != nullptr ? ServerCheck::yes : ServerCheck::no;
            std::optional<ServiceConfig> config =
                read_kind_service(entry, service, scope.runtime, server_check, problems);
            earlier.push_back({entry.key, config ? std::optional(config->kind) : std::nullopt});
            if (config)
                result.push_back({entry.key, TargetSpec{}, std::move(config), placed});
            continue;
        }
        if (std::optional<TargetSpec> target =
                read_command_service(entry, service, scope.runtime, here, problems)) {
            target->host = placed;
            result.push_back({entry.key, std::move(*target), std::nullopt, placed});
        }
        earlier.push_back({entry.key, std::nullopt});
    }
    return result;
}

}  // namespace benchctl
