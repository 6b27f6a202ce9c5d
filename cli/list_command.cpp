// `benchctl list MATRIX [--set key=value ...] [--json]`: the cells a matrix file expands to, in
// run order: id, parameters, command and load, one block per cell; --json prints the same as a
// JSON document for scripts.

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "load/load_settings.hpp"
#include "load/request_model.hpp"
#include "matrix/matrix_error.hpp"
#include "matrix/matrix_loader.hpp"
#include "matrix_flags.hpp"

namespace benchctl {

namespace {

struct ListFlags {
    MatrixFlags matrix;
    bool json = false;
};

// Quotes an argument for a POSIX shell only when it needs it, so the command reads as typed.
std::string shell_quote(const std::string& arg) {
    constexpr std::string_view k_safe =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-";
    if (!arg.empty() && arg.find_first_not_of(k_safe) == std::string::npos)
        return arg;
    std::string quoted = "'";
    for (char c : arg)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string command_line(const TargetSpec& target) {
    if (target.shell)
        return "sh -c " + shell_quote(*target.shell);
    std::vector<std::string> quoted;
    for (const std::string& arg : target.command)
        quoted.push_back(shell_quote(arg));
    return fmt::format("{}", fmt::join(quoted, " "));
}

std::string seconds(std::chrono::nanoseconds duration) {
    return fmt::format("{:g}s", std::chrono::duration<double>(duration).count());
}

std::string readiness(const ReadinessSpec& ready) {
    std::string probe;
    switch (ready.kind) {
        case ReadinessKind::tcp:
            probe = "tcp connect";
            break;
        case ReadinessKind::http:
            probe = fmt::format("http GET {} -> {}", ready.http_path, ready.expected_status);
            break;
        case ReadinessKind::log:
            probe = fmt::format("log line /{}/", ready.log_pattern);
            break;
        case ReadinessKind::protocol:
            probe = ready.protocol_name;
            break;
    }
    return fmt::format("{} within {}", probe, seconds(ready.timeout));
}

std::string parameters(const Cell& cell) {
    std::vector<std::string> parts;
    for (const AxisValue& value : cell.values) {
        std::string part = fmt::format("{}={}", value.axis, value.name);
        if (value.label != default_label(value.axis, value.name))
            part += fmt::format(" ({})", value.label);
        parts.push_back(part);
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

// "1 thread", "20 threads", "10k connections": `count` as written, with the noun in the number
// it needs.
std::string counted(const std::string& count, const char* noun) {
    return fmt::format("{} {}{}", count, noun, count == "1" ? "" : "s");
}

// "20 threads, 2000 connections, for 10s, rate 500/s", benchctl load's defaults filled in.
std::string load_summary(const LoadSpec& load) {
    LoadSettings defaults;
    std::string text = fmt::format(
        "{}, {}, ", counted(load.threads.value_or(std::to_string(defaults.threads)), "thread"),
        counted(load.connections.value_or(std::to_string(defaults.connections)), "connection"));
    if (load.requests) {
        text += counted(*load.requests, "request");
    } else if (load.iterations) {
        text += counted(*load.iterations, "iteration") + " per connection";
    } else {
        text += fmt::format("for {}", load.duration.value_or(seconds(defaults.duration)));
    }
    if (load.rate)
        text += fmt::format(", rate {}/s", *load.rate);
    if (load.warmup)
        text += fmt::format(", warm-up {}", *load.warmup);
    return text;
}

// "postgres, databases tasks, settings fsync=off" for a service of a known kind.
std::string kind_summary(const ServiceConfig& config) {
    std::string text = service_kind_name(config.kind);
    if (!config.databases.empty())
        text += fmt::format(", databases {}", fmt::join(config.databases, " "));
    if (!config.upstream.empty())
        text += fmt::format(", upstream {}", config.upstream);
    std::vector<std::string> settings;
    for (const auto& [name, value] : config.settings)
        settings.push_back(name + "=" + value);
    if (!settings.empty())
        text += fmt::format(", settings {}", fmt::join(settings, " "));
    if (config.keep_data)
        text += ", data kept";
    return text;
}

nlohmann::ordered_json kind_json(const std::string& name, const ServiceConfig& config) {
    nlohmann::ordered_json settings = nlohmann::ordered_json::object();
    for (const auto& [key, value] : config.settings)
        settings[key] = value;
    nlohmann::ordered_json json{{"name", name},
                                {"kind", service_kind_name(config.kind)},
                                {"settings", settings},
                                {"keep_data", config.keep_data}};
    if (config.kind == ServiceKind::postgres) {
        json["databases"] = config.databases;
        json["user"] = config.user;
    }
    if (config.kind == ServiceKind::nginx)
        json["upstream"] = config.upstream;
    return json;
}

std::string method_of(const LoadSpec& load) {
    return load.request.method ? load.request.method->text : "GET";
}

// "mix: home x3, item x1" or "sequence: create -> read"; "" for a single request.
std::string requests_summary(const LoadSpec& load) {
    std::vector<std::string> names;
    for (const RequestSpec& entry : load.entries) {
        std::string name = entry.name ? entry.name->text : "?";
        if (load.shape == RequestShape::mix)
            name += " x" + (entry.weight ? entry.weight->text : "1");
        names.push_back(name);
    }
    if (load.shape == RequestShape::mix)
        return fmt::format("mix: {}", fmt::join(names, ", "));
    if (load.shape == RequestShape::sequence)
        return fmt::format("sequence: {}", fmt::join(names, " -> "));
    return "";
}

// "nginx: nginx, settings worker_processes=2" or "tap: my-proxy --listen ${port}" per companion.
std::vector<std::string> companion_lines(const TargetSpec& target) {
    std::vector<std::string> lines;
    for (const CompanionSpec& companion : target.companions) {
        lines.push_back(fmt::format(
            "{}: {}", companion.name,
            companion.config ? kind_summary(*companion.config) : command_line(companion.command)));
    }
    return lines;
}

void print_row(const char* name, const std::string& value) {
    if (!value.empty())
        fmt::print("  {:<11} {}\n", name, value);
}

void print_text(const Matrix& matrix) {
    std::vector<std::string> axes;
    for (const Axis& axis : matrix.axes)
        axes.push_back(axis.name);
    fmt::print("{}: {} cell{} (axes: {}), repeat {}, cooldown {}\n", matrix.name,
               matrix.cells.size(), matrix.cells.size() == 1 ? "" : "s", fmt::join(axes, " x "),
               matrix.repeat, seconds(matrix.cooldown));
    for (const ServiceSpec& service : matrix.services) {
        fmt::print("service {}: {}\n", service.name,
                   service.config ? kind_summary(*service.config) : command_line(service.target));
    }
    for (const Cell& cell : matrix.cells) {
        fmt::print("\n{}\n", cell.id);
        print_row("parameters", parameters(cell));
        print_row("command", command_line(cell.target));
        print_row("cwd", cell.target.cwd);
        print_row("ready", readiness(cell.target.ready));
        const char* label = "companions";
        for (const std::string& line : companion_lines(cell.target)) {
            print_row(label, line);
            label = "";
        }
        print_row("load", fmt::format("{} {}", method_of(cell.load), cell.load.url));
        print_row("", load_summary(cell.load));
        print_row("", requests_summary(cell.load));
    }
}

nlohmann::ordered_json target_json(const TargetSpec& target) {
    nlohmann::ordered_json json{
        {"cwd", target.cwd},
        {"env", target.env},
        {"ready", readiness(target.ready)},
        {"warmup_s", std::chrono::duration<double>(target.warmup).count()},
        {"stop_signal", target.stop_signal},
        {"stop_grace_s", std::chrono::duration<double>(target.stop_grace).count()}};
    if (target.shell) {
        json["shell"] = *target.shell;
    } else {
        json["command"] = target.command;
    }
    if (!target.version_command.empty())
        json["version"] = target.version_command;
    if (!target.companions.empty()) {
        nlohmann::ordered_json companions = nlohmann::ordered_json::array();
        for (const CompanionSpec& companion : target.companions) {
            if (companion.config) {
                companions.push_back(kind_json(companion.name, *companion.config));
                continue;
            }
            nlohmann::ordered_json command = target_json(companion.command);
            command["name"] = companion.name;
            companions.push_back(command);
        }
        json["companions"] = companions;
    }
    return json;
}

nlohmann::ordered_json load_json(const LoadSpec& load) {
    nlohmann::ordered_json json{{"url", load.url}, {"method", method_of(load)}};
    auto put = [&](const char* key, const std::optional<std::string>& value) {
        if (value)
            json[key] = *value;
    };
    put("threads", load.threads);
    put("connections", load.connections);
    put("duration", load.duration);
    put("requests", load.requests);
    put("iterations", load.iterations);
    put("rate", load.rate);
    put("timeout", load.timeout);
    put("warmup", load.warmup);
    nlohmann::ordered_json headers = nlohmann::ordered_json::object();
    for (const auto& [name, value] : load.request.headers)
        headers[name] = value.text;
    json["headers"] = headers;
    if (load.request.body_kind == BodyKind::raw && !load.request.body.text.empty())
        json["body"] = load.request.body.text;
    if (load.request.body_kind == BodyKind::file)
        json["body_file"] = load.request.body.text;
    if (load.shape != RequestShape::single) {
        nlohmann::ordered_json names = nlohmann::ordered_json::array();
        for (const RequestSpec& entry : load.entries)
            names.push_back(entry.name ? entry.name->text : "");
        json[request_shape_name(load.shape)] = names;
    }
    return json;
}

void print_json(const Matrix& matrix) {
    nlohmann::ordered_json cells = nlohmann::ordered_json::array();
    for (const Cell& cell : matrix.cells) {
        nlohmann::ordered_json parameters = nlohmann::ordered_json::array();
        for (const AxisValue& value : cell.values) {
            parameters.push_back({{"axis", value.axis},
                                  {"name", value.name},
                                  {"label", value.label},
                                  {"fields", value.fields}});
        }
        cells.push_back({{"id", cell.id},
                         {"parameters", parameters},
                         {"target", target_json(cell.target)},
                         {"load", load_json(cell.load)}});
    }
    nlohmann::ordered_json services = nlohmann::ordered_json::array();
    for (const ServiceSpec& service : matrix.services) {
        if (service.config)
            services.push_back(kind_json(service.name, *service.config));
        else
            services.push_back({{"name", service.name}, {"target", target_json(service.target)}});
    }
    nlohmann::ordered_json document{
        {"name", matrix.name},
        {"title", matrix.title},
        {"file", matrix.file},
        {"repeat", matrix.repeat},
        {"cooldown_s", std::chrono::duration<double>(matrix.cooldown).count()},
        {"services", services},
        {"cells", cells}};
    fmt::print("{}\n", document.dump(2));
}

int run_list_command(const ListFlags& flags) {
    const MatrixOptions options = matrix_options(flags.matrix, HostChecks::no);
    Matrix matrix;
    try {
        matrix = load_matrix(flags.matrix.file, options);
    } catch (const MatrixError& error) {
        fmt::print(stderr, "{}", format_problems(error.problems()));
        return k_exit_invalid;
    }
    if (flags.json) {
        print_json(matrix);
    } else {
        print_text(matrix);
    }
    return 0;
}

}  // namespace

CommandAction define_list_command(CLI::App& command) {
    auto flags = std::make_shared<ListFlags>();
    add_matrix_flags(command, flags->matrix);
    command.add_flag("--json", flags->json, "Print the cells as JSON");
    return [flags] { return run_list_command(*flags); };
}

}  // namespace benchctl
