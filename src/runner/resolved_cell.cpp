#include "runner/resolved_cell.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "load/load_spec.hpp"
#include "matrix/variables.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;

Variables runtime_variables(const RuntimeValues& values) {
    // Absolute: the target runs in its own cwd (the matrix file's directory by default), where a
    // path relative to benchctl's working directory would point elsewhere.
    fs::path run_dir =
        values.run_dir.empty() ? fs::path() : fs::absolute(values.run_dir).lexically_normal();
    if (!run_dir.empty() && !run_dir.has_filename())
        run_dir = run_dir.parent_path();  // "results/x/" -> ".../results/x"
    Variables vars{{"port", std::to_string(values.port)},
                   {"run_dir", run_dir.string()},
                   {"cell", values.cell_id},
                   {"target.host", values.target_host}};
    for (const auto& [name, value] : values.service_variables)
        vars[name] = value;
    if (values.app_port)
        vars["app_port"] = std::to_string(*values.app_port);
    return vars;
}

std::string fill(const std::string& text, const Variables& vars, const std::string& where) {
    try {
        return substitute_variables(text, vars);
    } catch (const std::out_of_range& unknown) {
        throw UserError(
            fmt::format("unknown variable ${{{}}}", unknown.what()), where,
            "use an axis name, port, run_dir, cell, target.host or a service's <name>.port, "
            "<name>.host or <name>.url");
    }
}

std::string resolve_path(const Matrix& matrix, const std::string& path) {
    if (path.empty())
        return matrix.directory.empty() ? "." : matrix.directory;
    if (fs::path(path).is_absolute() || matrix.directory.empty())
        return path;
    return (fs::path(matrix.directory) / path).lexically_normal().string();
}

}  // namespace

ResolvedTarget resolve_target(const Matrix& matrix, const TargetSpec& target,
                              const RuntimeValues& values, const std::string& log_path,
                              const std::string& where) {
    Variables vars = runtime_variables(values);
    ResolvedTarget resolved;
    for (const std::string& arg : target.command)
        resolved.launch.argv.push_back(fill(arg, vars, where));
    if (target.shell)
        resolved.launch.shell = fill(*target.shell, vars, where);
    resolved.launch.cwd = resolve_path(matrix, fill(target.cwd, vars, where));
    for (const auto& [name, value] : target.env)
        resolved.launch.env[name] = fill(value, vars, where);
    resolved.launch.log_path = log_path;
    resolved.launch.cpus = target.cpus;
    resolved.ready = target.ready;
    resolved.ready.http_path = fill(target.ready.http_path, vars, where);
    resolved.ready.log_pattern = fill(target.ready.log_pattern, vars, where);
    resolved.warmup = target.warmup;
    resolved.settle = target.settle;
    resolved.stop_signal = target.stop_signal;
    resolved.stop_grace = target.stop_grace;
    for (const std::string& arg : target.version_command) {
        resolved.version_command.push_back(fill(arg, vars, where));
    }
    return resolved;
}

std::string target_address(const Matrix& matrix, const std::string& host) {
    for (const HostSpec& spec : matrix.hosts) {
        if (spec.name == host)
            return spec.reach_address();
    }
    return "127.0.0.1";
}

std::string fill_runtime_variables(const std::string& text, const RuntimeValues& values,
                                   const std::string& where) {
    return fill(text, runtime_variables(values), where);
}

LoadSettings resolve_load(const Matrix& matrix, const Cell& cell, const RuntimeValues& values) {
    Variables vars = runtime_variables(values);
    std::string where = "load in cell " + cell.id;
    LoadSpec spec = cell.load;
    for_each_spec_text(spec, [&](std::string& text) { text = fill(text, vars, where); });
    // Relative files (body_file, data sets) start at the matrix file's directory.
    spec.base_directory = matrix.directory;
    return to_load_settings(spec, LoadSettingNames::keys([&](const std::string& key) {
                                return fmt::format("load.{} in cell {}", key, cell.id);
                            }));
}

}  // namespace benchctl
