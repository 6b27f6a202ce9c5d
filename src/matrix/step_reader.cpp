#include "matrix/step_reader.hpp"

#include <fmt/format.h>

#include <set>

#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "matrix/spec_reader.hpp"
#include "matrix/variable_scope.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/json_path.hpp"
#include "util/text_pattern.hpp"

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
DocNode checked_part(const DocNode& step, const std::string& name, StepSection section,
                     ProblemList& problems) {
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
        } else if (entry.key == "capture" && section != StepSection::setup) {
            problems.add(
                entry.key_where,
                fmt::format("capture is for setup steps, not {} steps", step_section_name(section)),
                "capture in a setup step: its value is then the same for every cell");
        } else if (entry.key == "expect" && section != StepSection::after) {
            problems.add(
                entry.key_where,
                fmt::format("expect is for after checks, not {} steps", step_section_name(section)),
                "move the step to after: (it then runs after each cell's load)");
        } else if (entry.key != "capture" && entry.key != "expect") {
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
                     "add name: <step name> (it names the step's log file)");
        return "";
    }
    if (name->scalar.empty() ||
        name->scalar.find_first_not_of(k_step_characters) != std::string::npos) {
        problems.add(name->where, fmt::format("malformed step name '{}'", name->scalar),
                     "use lowercase letters, digits, '-' and '_' (it names the step's log file)");
    } else if (!names.insert(name->scalar).second) {
        problems.add(name->where, fmt::format("step '{}' is named twice", name->scalar),
                     "give each step its own name");
    }
    return name->scalar;
}

// Reports a malformed pattern (the capture is still returned: its name is defined, so that
// its uses are not reported as unknown as well; the matrix is refused anyway).
void check_pattern(const StepCapture& capture, const DocNode& node, ProblemList& problems) {
    if (capture.kind == StepCapture::Kind::json) {
        if (std::optional<std::string> problem = json_path_problem(capture.pattern)) {
            problems.add(node.where,
                         fmt::format("malformed JSON path '{}': {}", capture.pattern, *problem),
                         "write a path like $.id or $.items[0].name");
        }
        return;
    }
    try {
        TextPattern pattern(capture.pattern);
    } catch (const UserError& error) {
        problems.add(node.where, error.what(),
                     "write a Perl-compatible (PCRE2) regular expression; its first group is "
                     "captured");
    }
}

std::optional<StepCapture> read_capture(const DocEntry& entry, ProblemList& problems) {
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
    StepCapture capture{entry.key, StepCapture::Kind::json, ""};
    if (!how.is_map() || how.entries.size() != 1 || (json == nullptr && regex == nullptr) ||
        !how.entries[0].value.is_scalar()) {
        problems.add(how.where, fmt::format("capture '{}' expects json: or regex:", entry.key),
                     "write {json: \"$.id\"} or {regex: \"id=(\\\\d+)\"}");
        return capture;
    }
    const DocNode& pattern = json != nullptr ? *json : *regex;
    capture.kind = json != nullptr ? StepCapture::Kind::json : StepCapture::Kind::regex;
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
        std::optional<StepCapture> read = read_capture(entry, problems);
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

// An after check's expect: (problems at the offending key); the step's http.status becomes the
// status expected, so that another status is the check's failure.
void read_expect(const DocNode& step, const Variables& runtime, StepSpec& spec,
                 ProblemList& problems) {
    const DocNode* expect = step.find("expect");
    if (expect == nullptr || expect->kind == DocNode::Kind::null)
        return;
    DocNode checked = *expect;
    VariableScope scope{{}, runtime, {}, {}};
    substitute_tree(checked, scope, problems);
    check_map(checked, step_expect_schema(), problems, &runtime);
    if (!checked.is_map())
        return;
    ExpectSpec read;
    auto text = [&](const char* key) -> std::optional<std::string> {
        const DocNode* node = checked.find(key);
        return node != nullptr && node->is_scalar() ? std::optional(node->scalar) : std::nullopt;
    };
    read.output = text("output");
    read.json = text("json");
    read.equals = text("equals").value_or("");
    if (std::optional<std::string> status = text("status")) {
        try {
            read.status = std::stoi(*status);
        } catch (const std::exception&) {
            // Reported by check_map.
        }
    }
    const std::string hint =
        "write expect: {output: \"${cell.status.201}\"}, {json: \"$.count\", equals: "
        "\"${cell.completed}\"} or {status: 200}";
    if (read.json && !checked.find("equals")) {
        problems.add(checked.find("json")->where,
                     "expect json: needs equals: the value it must have", hint);
    } else if (read.json) {
        if (std::optional<std::string> problem = json_path_problem(*read.json)) {
            problems.add(checked.find("json")->where,
                         fmt::format("malformed JSON path '{}': {}", *read.json, *problem),
                         "write a path like $.count or $.items[0].id");
        }
    } else if (checked.find("equals") != nullptr) {
        problems.add(checked.find("equals")->where, "expect equals: goes with json:", hint);
    }
    if (!read.output && !read.json && !read.status)
        problems.add(expect->where, "expect says nothing to compare", hint);
    if (read.status && !spec.http) {
        problems.add(checked.find("status")->where, "expect status: is for an HTTP check",
                     "compare a command's output with output: instead");
    }
    if (read.status && spec.http)
        spec.http->status = read.status;
    spec.expect = std::move(read);
}

std::vector<StepSpec> read_steps(const DocNode* steps, StepSection section,
                                 const Variables& runtime, ProblemList& problems) {
    std::vector<StepSpec> result;
    if (steps == nullptr || steps->kind == DocNode::Kind::null)
        return result;
    const char* what = step_section_name(section);
    if (!steps->is_list()) {
        problems.add(
            steps->where,
            fmt::format("{} expects a list of steps, got {}", what, kind_name(steps->kind)),
            fmt::format("write {}: [{{name: reset, shell: \"psql ...\"}}]", what));
        return result;
    }
    std::set<std::string> names, captures;
    Variables scope_runtime = runtime;
    for (const DocNode& step : steps->items) {
        if (!step.is_map()) {
            problems.add(step.where,
                         fmt::format("a {} step is a map, got {}", what, kind_name(step.kind)),
                         k_kinds_hint);
            continue;
        }
        const std::string name = read_name(step, names, problems);
        DocNode part = checked_part(step, name, section, problems);
        VariableScope scope{{}, scope_runtime, {}, {}};
        substitute_tree(part, scope, problems);
        check_map(part, step_schema(), problems, &scope_runtime);
        StepSpec spec = read_step(step, name, part, problems);
        if (section == StepSection::setup)
            read_captures(step, captures, spec, problems);
        if (section == StepSection::after)
            read_expect(step, scope_runtime, spec, problems);
        for (const StepCapture& capture : spec.captures)
            scope_runtime["setup." + capture.name] = "1";
        result.push_back(std::move(spec));
    }
    return result;
}

}  // namespace

const char* step_section_name(StepSection section) {
    switch (section) {
        case StepSection::setup:
            return "setup";
        case StepSection::before:
            return "before";
        case StepSection::after:
            return "after";
    }
    return "setup";
}

std::vector<StepSpec> read_setup_steps(const DocNode* setup, const Variables& runtime,
                                       ProblemList& problems) {
    return read_steps(setup, StepSection::setup, runtime, problems);
}

std::vector<StepSpec> read_cell_steps(const DocNode* steps, StepSection section,
                                      const Variables& runtime, ProblemList& problems) {
    if (section != StepSection::after)
        return read_steps(steps, section, runtime, problems);
    Variables with_figures = runtime;
    with_figures.merge(figure_variables());
    return read_steps(steps, section, with_figures, problems);
}

Variables figure_variables() {
    Variables names{{"cell.completed", "1"}, {"cell.failed", "0"}};
    for (int status = 100; status < 600; ++status)
        names["cell.status." + std::to_string(status)] = "1";
    return names;
}

Variables capture_variables(const std::vector<StepSpec>& steps) {
    Variables names;
    for (const StepSpec& step : steps) {
        for (const StepCapture& capture : step.captures)
            names["setup." + capture.name] = "1";
    }
    return names;
}

}  // namespace benchctl
