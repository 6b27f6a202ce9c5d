#include "matrix/spec_reader.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "load/placeholder.hpp"
#include "load/request_compiler.hpp"
#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/request_reader.hpp"
#include "matrix/schema_check.hpp"
#include "util/cpu_list.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

// The text of a scalar, or "" for anything else.
std::string text_of(const DocNode* node) {
    return node != nullptr && node->is_scalar() ? node->scalar : "";
}

std::optional<std::string> optional_text(const DocNode& map, std::string_view key) {
    const DocNode* node = map.find(key);
    if (node == nullptr || !node->is_scalar())
        return std::nullopt;
    return node->scalar;
}

std::vector<std::string> string_list(const DocNode* node) {
    std::vector<std::string> list;
    if (node == nullptr || !node->is_list())
        return list;
    for (const DocNode& item : node->items)
        list.push_back(item.scalar);
    return list;
}

// A typed value's final text; nullopt when it holds variables (reported before).
std::optional<std::string> typed_text(const DocNode* node) {
    if (node == nullptr || !node->is_scalar() || node->unresolved)
        return std::nullopt;
    try {
        return substitute_variables(node->scalar, {});
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

template <typename Parse>
void read_typed(const DocNode* node, Parse parse) {
    if (auto text = typed_text(node)) {
        try {
            parse(*text);
        } catch (const std::exception&) {
            // Reported by check_map; the default stays.
        }
    }
}

std::chrono::nanoseconds duration_or(const DocNode* node, std::chrono::nanoseconds fallback) {
    read_typed(node, [&](const std::string& text) { fallback = parse_duration(text, ""); });
    return fallback;
}

ReadinessSpec read_ready(const DocNode* ready) {
    ReadinessSpec spec;
    if (ready == nullptr || !ready->is_map())
        return spec;
    if (const DocNode* http = ready->find("http")) {
        spec.kind = ReadinessKind::http;
        spec.http_path = text_of(http);
        read_typed(ready->find("status"),
                   [&](const std::string& text) { spec.expected_status = std::stoi(text); });
    } else if (const DocNode* log = ready->find("log")) {
        spec.kind = ReadinessKind::log;
        spec.log_pattern = text_of(log);
    }
    spec.timeout = duration_or(ready->find("timeout"), spec.timeout);
    return spec;
}

std::optional<SettleSpec> read_settle(const DocNode* settle) {
    if (settle == nullptr || !settle->is_map())
        return std::nullopt;
    SettleSpec spec;
    read_typed(settle->find("cpu_below"), [&](const std::string& text) {
        spec.cpu_below_percent = parse_core_share(text, "cpu_below");
    });
    spec.window = duration_or(settle->find("window"), spec.window);
    spec.timeout = duration_or(settle->find("timeout"), spec.timeout);
    return spec;
}

// The spec with every run-time variable replaced by an example; nullopt if one cannot be. A
// body file is left out (check_body_file checks it), and a data file named with a run-time
// variable keeps its name (it is read when the cell runs).
std::optional<LoadSpec> example_spec(LoadSpec spec, const Variables& examples) {
    try {
        std::vector<std::string> data_files;
        for (const DataSetSpec& set : spec.data)
            data_files.push_back(set.file.text);
        for_each_spec_text(spec,
                           [&](std::string& text) { text = substitute_variables(text, examples); });
        for (std::size_t i = 0; i < spec.data.size(); ++i) {
            if (data_files[i].find('$') != std::string::npos)
                spec.data[i].file.text = data_files[i];
        }
        if (spec.request.body_kind == BodyKind::file)
            spec.request.body_kind = BodyKind::none;
        return spec;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// Compiles the example spec's request model, reporting each problem where it was written.
// Returns false when there was one.
bool check_request_model(const LoadSpec& spec, DataSetCache& data_sets, ProblemList& problems) {
    if (!needs_request_model(spec))
        return true;
    Url url;
    try {
        url = parse_url(mask_placeholders(spec.url, "x"), "url");
    } catch (const UserError&) {
        return true;  // reported by the url's own check
    }
    std::vector<SpecProblem> found;
    const bool keepalive = !spec.keepalive || *spec.keepalive != "false";
    compile_request_model(spec, url, keepalive, data_sets, found);
    for (SpecProblem& problem : found)
        problems.add(problem.where, std::move(problem.what), std::move(problem.hint));
    return found.empty();
}

// Two keys of one exclusive group are reported by check_map; the combined check would repeat it.
bool has_group_conflict(const DocNode& map) {
    for (const ExclusiveGroup& group : exclusive_groups()) {
        std::size_t count = 0;
        for (const std::string& key : group.keys)
            count += map.find(key) != nullptr ? 1 : 0;
        if (count > 1)
            return true;
    }
    return false;
}

bool has_unresolved(const DocNode& node) {
    if (node.unresolved)
        return true;
    for (const DocNode& item : node.items) {
        if (has_unresolved(item))
            return true;
    }
    for (const DocEntry& entry : node.entries) {
        if (has_unresolved(entry.value))
            return true;
    }
    return false;
}

void check_body_file(const DocNode& load, const std::string& directory, ProblemList& problems) {
    const DocNode* body_file = load.find("body_file");
    if (body_file == nullptr || !body_file->is_scalar() ||
        body_file->scalar.find('$') != std::string::npos) {
        return;
    }
    std::filesystem::path path(body_file->scalar);
    if (path.is_relative() && !directory.empty())
        path = std::filesystem::path(directory) / path;
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        problems.add(body_file->where,
                     fmt::format("body_file '{}' is not a readable file", path.string()),
                     "a relative path starts at the matrix file's directory");
    }
}

}  // namespace

bool check_complete_target(const DocNode& target, ProblemList& problems) {
    if (const DocNode* ready = target.find("ready"); ready != nullptr && ready->is_map()) {
        const DocNode* status = ready->find("status");
        if (status != nullptr && ready->find("http") == nullptr) {
            problems.add(status->where, "status applies only to an http readiness probe",
                         "add http: /path next to it, or remove status");
        }
        const DocNode* tcp = ready->find("tcp");
        if (tcp != nullptr && tcp->is_scalar() && tcp->scalar == "false") {
            problems.add(tcp->where, "tcp: false is no readiness probe",
                         "write tcp: true, or use http: /path or log: <regex> instead");
        }
    }
    auto present = [&](const char* key) {
        const DocNode* node = target.find(key);
        return node != nullptr && node->kind != DocNode::Kind::null;
    };
    return present("command") || present("shell");
}

void check_complete_load(const DocNode& load, const std::string& directory,
                         const Variables& runtime_examples, DataSetCache& data_sets,
                         ProblemList& problems) {
    check_body_file(load, directory, problems);
    if (has_unresolved(load) || has_group_conflict(load))
        return;
    LoadSpec read = read_load(load);
    read.base_directory = directory;
    std::optional<LoadSpec> spec = example_spec(std::move(read), runtime_examples);
    if (!spec || !check_request_model(*spec, data_sets, problems))
        return;
    try {
        to_load_settings(*spec, LoadSettingNames::keys(), &data_sets);
    } catch (const UserError& error) {
        const std::string& key = error.where();
        const DocNode* node = load.find(key);
        if (node == nullptr && key == "url")
            node = load.find("path");
        problems.add(node != nullptr ? node->where : load.where, error.what(), error.hint());
    }
}

TargetSpec read_target(const DocNode& target) {
    TargetSpec spec;
    spec.command = string_list(target.find("command"));
    spec.shell = optional_text(target, "shell");
    spec.cwd = text_of(target.find("cwd"));
    if (const DocNode* env = target.find("env"); env != nullptr && env->is_map()) {
        for (const DocEntry& entry : env->entries)
            spec.env[entry.key] = entry.value.scalar;
    }
    spec.ready = read_ready(target.find("ready"));
    spec.warmup = duration_or(target.find("warmup"), spec.warmup);
    if (const DocNode* stop = target.find("stop"); stop != nullptr && stop->is_map()) {
        read_typed(stop->find("signal"), [&](const std::string& text) {
            if (auto number = signal_number(text))
                spec.stop_signal = *number;
        });
        spec.stop_grace = duration_or(stop->find("grace"), spec.stop_grace);
    }
    spec.version_command = string_list(target.find("version"));
    read_typed(target.find("cpus"),
               [&](const std::string& text) { spec.cpus = parse_cpu_list(text, "cpus"); });
    spec.settle = read_settle(target.find("settle"));
    if (const DocNode* scope = target.find("scope"); scope != nullptr && scope->is_scalar())
        spec.shared = scope->scalar == "run";
    return spec;
}

LoadSpec read_load(const DocNode& load) {
    LoadSpec spec;
    spec.url = k_default_load_url;
    spec.url_where = load.where;
    if (const DocNode* url = load.find("url"); url != nullptr && url->is_scalar()) {
        spec.url = url->scalar;
        spec.url_where = url->where;
    }
    if (const DocNode* path = load.find("path"); path != nullptr && path->is_scalar()) {
        spec.url = "http://127.0.0.1:${port}" + path->scalar;
        spec.url_where = path->where;
    }
    spec.threads = optional_text(load, "threads");
    spec.connections = optional_text(load, "connections");
    spec.duration = optional_text(load, "duration");
    spec.requests = optional_text(load, "requests");
    spec.iterations = optional_text(load, "iterations");
    spec.rate = optional_text(load, "rate");
    spec.timeout = optional_text(load, "timeout");
    spec.warmup = optional_text(load, "warmup");
    spec.cpus = optional_text(load, "cpus");
    spec.keepalive = optional_text(load, "keepalive");
    spec.seed = optional_text(load, "seed");
    spec.latency = optional_text(load, "latency");
    read_request_model(load, spec);
    return spec;
}

}  // namespace benchctl
