#include "matrix/variable_scope.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

#include "matrix/problem_list.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

constexpr std::string_view k_env_prefix = "env:";
constexpr std::string_view k_status_prefix = "cell.status.";

// ${cell.status.100} ... ${cell.status.599} (an after check's scope) are named once in hints.
bool is_status_figure(std::string_view name) {
    return name.substr(0, k_status_prefix.size()) == k_status_prefix;
}

bool is_known(std::string_view name, const VariableScope& scope) {
    return scope.values.find(name) != scope.values.end() ||
           scope.runtime.find(name) != scope.runtime.end();
}

void report_unknown(const std::string& name, const DocNode& scalar, const VariableScope& scope,
                    ProblemList& problems) {
    if (auto missing = scope.why_missing ? scope.why_missing(name) : std::nullopt) {
        problems.add(scalar.where, fmt::format("unknown variable ${{{}}}: {}", name, *missing),
                     "give every value of the axis this field, or use it only in the settings of "
                     "the values that have it");
        return;
    }
    constexpr std::string_view k_setup_prefix = "setup.";
    if (name.rfind(k_setup_prefix, 0) == 0) {
        std::vector<std::string> captures;
        for (const auto& [known, value] : scope.runtime) {
            if (known.rfind(k_setup_prefix, 0) == 0)
                captures.push_back("${" + known + "}");
        }
        problems.add(scalar.where,
                     fmt::format("unknown variable ${{{}}}: no setup step captures '{}'", name,
                                 name.substr(k_setup_prefix.size())),
                     captures.empty()
                         ? fmt::format("add capture: {{{}: {{json: \"$.id\"}}}} to a setup step",
                                       name.substr(k_setup_prefix.size()))
                         : fmt::format("the captures are {}", fmt::join(captures, ", ")));
        return;
    }
    std::vector<std::string> names;
    for (const auto& [known, value] : scope.values)
        names.push_back(known);
    for (const auto& [known, value] : scope.runtime) {
        if (!is_status_figure(known))
            names.push_back(known);
    }
    std::string hint;
    if (auto best = closest_name(name, names)) {
        hint = fmt::format("did you mean ${{{}}}?", *best);
    } else {
        hint = fmt::format("known variables: {}", fmt::join(scope.known_names(), ", "));
    }
    problems.add(scalar.where, fmt::format("unknown variable ${{{}}}", name), hint);
}

}  // namespace

std::vector<std::string> VariableScope::known_names() const {
    std::vector<std::string> names;
    for (const std::string& name : value_order)
        names.push_back("${" + name + "}");
    bool status_figures = false;
    for (const auto& [name, value] : runtime) {
        if (is_status_figure(name))
            status_figures = true;
        else
            names.push_back("${" + name + "}");
    }
    if (status_figures)
        names.emplace_back("${cell.status.<code>}");
    names.emplace_back("${env:NAME}");
    return names;
}

Variables runtime_variables(const std::vector<ServiceName>& services) {
    Variables names{{"port", "8080"},
                    {"run_dir", "results/run"},
                    {"cell", "cell"},
                    {"target.host", "127.0.0.1"}};
    for (const ServiceName& service : services) {
        for (const auto& [suffix, example] : service_variable_examples(service.kind))
            names[service.name + "." + suffix] = example;
    }
    return names;
}

bool check_variables(const DocNode& scalar, const VariableScope& scope, ProblemList& problems) {
    std::vector<std::string> names;
    try {
        names = variable_names(scalar.scalar);
    } catch (const std::invalid_argument& error) {
        problems.add(scalar.where, fmt::format("malformed variable reference: {}", error.what()),
                     "write ${name}, or $$ for a literal '$'");
        return false;
    }
    bool ok = true;
    for (const std::string& name : names) {
        if (is_known(name, scope))
            continue;
        ok = false;
        if (name.substr(0, k_env_prefix.size()) == k_env_prefix) {
            std::string variable = name.substr(k_env_prefix.size());
            if (!variable.empty() && std::getenv(variable.c_str()) != nullptr) {
                ok = true;
                continue;
            }
            problems.add(scalar.where,
                         fmt::format("environment variable '{}' is not set", variable),
                         fmt::format("export {} before running benchctl, or remove ${{{}}}",
                                     variable.empty() ? "it" : variable, name));
            continue;
        }
        report_unknown(name, scalar, scope, problems);
    }
    return ok;
}

void substitute_tree(DocNode& node, const VariableScope& scope, ProblemList& problems) {
    switch (node.kind) {
        case DocNode::Kind::scalar:
            if (node.scalar.find('$') == std::string::npos)
                return;
            if (!check_variables(node, scope, problems)) {
                node.unresolved = true;
                return;
            }
            node.scalar = substitute_variables_partially(node.scalar, scope.values, scope.runtime);
            break;
        case DocNode::Kind::list:
            for (DocNode& item : node.items)
                substitute_tree(item, scope, problems);
            break;
        case DocNode::Kind::map:
            for (DocEntry& entry : node.entries)
                substitute_tree(entry.value, scope, problems);
            break;
        case DocNode::Kind::null:
            break;
    }
}

}  // namespace benchctl
