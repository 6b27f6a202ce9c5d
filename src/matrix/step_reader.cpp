#include "matrix/step_reader.hpp"

#include <fmt/format.h>

#include <regex>
#include <set>

#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "matrix/spec_reader.hpp"
#include "matrix/variable_scope.hpp"
#include "util/duration.hpp"
#include "util/json_path.hpp"

namespace benchctl {

namespace {

constexpr std::string_view k_capture_characters = "abcdefghijklmnopqrstuvwxyz0123456789_";
constexpr std::string_view k_step_characters = "abcdefghijklmnopqrstuvwxyz0123456789_-";
constexpr const char* k_kinds_hint =
    "a step is command: [program, arg, ...], shell: \"...\" or http: {url: ...}";

bool is_kind_key(const std::string& key) {
    return key == "command" || key == "shell" || key == "http";
}

// The step without the keys that are no setting (an unknown kind, reported here) and without
// capture (read on its own: its patterns are no templates).
DocNode checked_part(const DocNode& step, const std::string& name, ProblemList& problems) {
    DocNode part = step;
    part.entries.clear();
    unsigned kinds = 0;
    for (const DocEntry& entry : step.entries)
        kinds += is_kind_key(entry.key) ? 1 : 0;
    for (const DocEntry& entry : step.entries) {
        if (kinds == 0 && step_schema().find(entry.key) == nullptr) {
            problems.add(entry.key_where, fmt::format("unknown step kind '{}'", entry.key),
                         k_kinds_hint);
            ++kinds;  // reported once
        } else if (entry.key != "capture") {
            part.entries.push_back(entry);
        }
    }
    if (kinds == 0) {
        problems.add(step.where, fmt::format("step '{}' has nothing to run", name), k_kinds_hint);
    } else if (step.find("http") != nullptr &&
               (step.find("command") != nullptr || step.find("shell") != nullptr)) {
        problems.add(step.find("http")->where,
                     fmt::format("step '{}' is both a command and an HTTP request", name),
                     "make them two steps");
    }
    return part;
}

std::string read_name(const DocNode& step, std::set<std::string>& names, ProblemList& problems) {
    const DocNode* name = step.find("name");
    if (name == nullptr || !name->is_scalar()) {
        problems.add(name != nullptr ? name->where : step.where, "a step has no name",
                     "add name: <step name> (its output goes to logs/setup-<name>.log)");
        return "";
    }
    if (name->scalar.empty() ||
        name->scalar.find_first_not_of(k_step_characters) != std::string::npos) {
        problems.add(name->where, fmt::format("malformed step name '{}'", name->scalar),
                     "use lowercase letters, digits, '-' and '_' (it names logs/setup-<name>.log)");
    } else if (!names.insert(name->scalar).second) {
        problems.add(name->where, fmt::format("step '{}' is named twice", name->scalar),
                     "give each step its own name");
    }
    return name->scalar;
}

// Reports a malformed pattern (the capture is still returned: its name is defined, so that
// its uses are not reported as unknown as well; the matrix is refused anyway).
void check_pattern(const CaptureSpec& capture, const DocNode& node, ProblemList& problems) {
    if (capture.kind == CaptureSpec::Kind::json) {
        if (std::optional<std::string> problem = json_path_problem(capture.pattern)) {
            problems.add(node.where,
                         fmt::format("malformed JSON path '{}': {}", capture.pattern, *problem),
                         "write a path like $.id or $.items[0].name");
        }
        return;
    }
    try {
        std::regex pattern(capture.pattern);
    } catch (const std::regex_error& error) {
        problems.add(node.where, fmt::format("malformed regular expression: {}", error.what()),
                     "write an ECMAScript regular expression; its first group is captured");
    }
}

std::optional<CaptureSpec> read_capture(const DocEntry& entry, ProblemList& problems) {
    if (entry.key.empty() ||
        entry.key.find_first_not_of(k_capture_characters) != std::string::npos) {
        problems.add(
            entry.key_where, fmt::format("malformed capture name '{}'", entry.key),
            "use lowercase letters, digits and '_' (it is used as ${setup." + entry.key + "})");
        return std::nullopt;
    }
    const DocNode& how = entry.value;
    const DocNode* json = how.is_map() ? how.find("json") : nullptr;
    const DocNode* regex = how.is_map() ? how.find("regex") : nullptr;
    CaptureSpec capture{entry.key, CaptureSpec::Kind::json, ""};
    if (!how.is_map() || how.entries.size() != 1 || (json == nullptr && regex == nullptr) ||
        !how.entries[0].value.is_scalar()) {
        problems.add(how.where, fmt::format("capture '{}' expects json: or regex:", entry.key),
                     "write {json: \"$.id\"} or {regex: \"id=(\\\\d+)\"}");
        return capture;
    }
    const DocNode& pattern = json != nullptr ? *json : *regex;
    capture.kind = json != nullptr ? CaptureSpec::Kind::json : CaptureSpec::Kind::regex;
    capture.pattern = pattern.scalar;
    check_pattern(capture, pattern, problems);
    return capture;
}

void read_captures(const DocNode& step, std::set<std::string>& names, StepSpec& spec,
                   ProblemList& problems) {
    const DocNode* capture = step.find("capture");
    if (capture == nullptr || capture->kind == DocNode::Kind::null)
        return;
    if (!capture->is_map()) {
        problems.add(
            capture->where,
            fmt::format("capture expects a map of names, got {}", kind_name(capture->kind)),
            "write capture: {worker_id: {json: \"$.id\"}}");
        return;
    }
    for (const DocEntry& entry : capture->entries) {
        std::optional<CaptureSpec> read = read_capture(entry, problems);
        if (!read)
            continue;
        if (!names.insert(read->name).second) {
            problems.add(entry.key_where, fmt::format("capture '{}' is defined twice", read->name),
                         "give each capture its own name: every cell sees them all");
            continue;
        }
        spec.captures.push_back(std::move(*read));
    }
}

HttpStepSpec read_http(const DocNode& http, const std::string& name, ProblemList& problems) {
    HttpStepSpec spec;
    if (!http.is_map())
        return spec;
    if (const DocNode* method = http.find("method"); method != nullptr && method->is_scalar())
        spec.method = method->scalar;
    if (const DocNode* url = http.find("url"); url != nullptr && url->is_scalar())
        spec.url = url->scalar;
    else
        problems.add(http.where, fmt::format("HTTP step '{}' has no url", name),
                     "add url: http://127.0.0.1:${<service>.port}/...");
    if (const DocNode* headers = http.find("headers"); headers != nullptr && headers->is_map()) {
        for (const DocEntry& entry : headers->entries)
            spec.headers.emplace_back(entry.key, entry.value.scalar);
    }
    if (const DocNode* body = http.find("body"); body != nullptr && body->is_scalar())
        spec.body = body->scalar;
    if (const DocNode* status = http.find("status"); status != nullptr && status->is_scalar()) {
        try {
            spec.status = std::stoi(status->scalar);
        } catch (const std::exception&) {
            // Reported by check_map.
        }
    }
    return spec;
}

StepSpec read_step(const DocNode& step, const std::string& name, const DocNode& part,
                   ProblemList& problems) {
    StepSpec spec;
    spec.name = name;
    spec.where = step.where;
    const TargetSpec command = read_target(part);
    spec.command = command.command;
    spec.shell = command.shell;
    spec.cwd = command.cwd;
    spec.env = command.env;
    if (const DocNode* timeout = part.find("timeout"); timeout != nullptr && timeout->is_scalar()) {
        try {
            spec.timeout = parse_duration(timeout->scalar, "timeout");
        } catch (const std::exception&) {
            // Reported by check_map.
        }
    }
    if (const DocNode* http = part.find("http"))
        spec.http = read_http(*http, name, problems);
    return spec;
}

}  // namespace

std::vector<StepSpec> read_setup_steps(const DocNode* setup, const Variables& runtime,
                                       ProblemList& problems) {
    std::vector<StepSpec> steps;
    if (setup == nullptr || setup->kind == DocNode::Kind::null)
        return steps;
    if (!setup->is_list()) {
        problems.add(setup->where,
                     fmt::format("setup expects a list of steps, got {}", kind_name(setup->kind)),
                     "write setup: [{name: schema, shell: \"psql ...\"}]");
        return steps;
    }
    std::set<std::string> names, captures;
    Variables scope_runtime = runtime;
    for (const DocNode& step : setup->items) {
        if (!step.is_map()) {
            problems.add(step.where,
                         fmt::format("a setup step is a map, got {}", kind_name(step.kind)),
                         k_kinds_hint);
            continue;
        }
        const std::string name = read_name(step, names, problems);
        DocNode part = checked_part(step, name, problems);
        VariableScope scope{{}, scope_runtime, {}, {}};
        substitute_tree(part, scope, problems);
        check_map(part, step_schema(), problems, &scope_runtime);
        StepSpec spec = read_step(step, name, part, problems);
        read_captures(step, captures, spec, problems);
        for (const CaptureSpec& capture : spec.captures)
            scope_runtime["setup." + capture.name] = "1";
        steps.push_back(std::move(spec));
    }
    return steps;
}

Variables capture_variables(const std::vector<StepSpec>& steps) {
    Variables names;
    for (const StepSpec& step : steps) {
        for (const CaptureSpec& capture : step.captures)
            names["setup." + capture.name] = "1";
    }
    return names;
}

}  // namespace benchctl
