// benchctl's entry point: a table of subcommands, parsed with CLI11. Every user error is caught
// here once and printed as "benchctl: error: <what>, <where>; <hint>" with exit code 2 (4 when
// the file system refused to store an output, 3 for an internal error). An
// unknown subcommand or option is named, with the nearest known one ("did you mean").

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <benchctl/version.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "util/error.hpp"
#include "util/name_suggestion.hpp"

namespace {

constexpr std::array k_commands = {
    benchctl::CommandDefinition{"load", "Drive one URL with HTTP/1.1 load, wrk-style",
                                benchctl::define_load_command},
    benchctl::CommandDefinition{"run", "Run every cell of a matrix file and write the results",
                                benchctl::define_run_command},
    benchctl::CommandDefinition{"validate", "Check a matrix file and report every problem",
                                benchctl::define_validate_command},
    benchctl::CommandDefinition{"list", "Print the cells a matrix file expands to",
                                benchctl::define_list_command},
    benchctl::CommandDefinition{"report", "Render a run's results as Markdown, CSV, JSON or HTML",
                                benchctl::define_report_command},
    benchctl::CommandDefinition{"compare",
                                "Compare two runs cell by cell; exit 1 on a significant regression",
                                benchctl::define_compare_command},
    benchctl::CommandDefinition{"history",
                                "Keep runs in a history file; show, chart and check its series",
                                benchctl::define_history_command},
    benchctl::CommandDefinition{"import",
                                "Turn wrk, siege, gunicorn-bench or Markdown output into a run",
                                benchctl::define_import_command},
    benchctl::CommandDefinition{"agent",
                                "Serve another benchctl on stdin/stdout (runs across hosts)",
                                benchctl::define_agent_command},
};

std::vector<std::string> command_names() {
    std::vector<std::string> names;
    for (const benchctl::CommandDefinition& definition : k_commands)
        names.emplace_back(definition.name);
    return names;
}

bool is_main_flag(std::string_view arg) {
    return arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "--version";
}

// The subcommand the arguments name (the first that is not one of benchctl's own flags), or "".
// Throws UserError for an unknown one, so that `benchctl reprot` does not answer "a subcommand
// is required".
std::string named_command(int argc, char** argv) {
    std::vector<std::string> names = command_names();
    std::string known = fmt::format("the commands are {}", fmt::join(names, ", "));
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (is_main_flag(arg))
            return "";  // CLI11 answers them
        if (std::find(names.begin(), names.end(), arg) != names.end())
            return std::string(arg);
        if (!arg.empty() && arg[0] == '-') {
            throw benchctl::UserError(fmt::format("unknown option '{}'", arg), "",
                                      "options go after the subcommand: benchctl <command> "
                                      "[options]; " +
                                          known);
        }
        std::optional<std::string> close = benchctl::closest_name(arg, names);
        throw benchctl::UserError(
            fmt::format("unknown subcommand '{}'", arg), "",
            close ? fmt::format("did you mean '{}'? ({})", *close, known) : known);
    }
    return "";
}

// " (did you mean '--format'?)" for the first argument of `extras` that looks like an unknown
// option of `command`, or "".
std::string option_suggestion(const CLI::App& command, const std::vector<std::string>& args) {
    std::vector<std::string> options;
    for (const CLI::Option* option : command.get_options()) {
        for (const std::string& name : option->get_lnames())
            options.push_back("--" + name);
    }
    for (const std::string& arg : args) {
        if (arg.size() < 3 || arg.substr(0, 2) != "--")
            continue;
        std::string name = arg.substr(0, arg.find('='));
        if (std::find(options.begin(), options.end(), name) != options.end())
            continue;
        if (auto close = benchctl::closest_name(name, options))
            return fmt::format(" (did you mean '{}'?)", *close);
    }
    return "";
}

// "benchctl: error: <CLI11's message> (did you mean ...?); see 'benchctl <command> --help'".
void print_parse_error(const CLI::ParseError& error, const CLI::App* command,
                       const std::vector<std::string>& args) {
    fmt::print(stderr, "benchctl: error: {}{}; see 'benchctl {}--help'\n", error.what(),
               command != nullptr ? option_suggestion(*command, args) : "",
               command != nullptr ? command->get_name() + " " : "");
}

}  // namespace

int main(int argc, char** argv) {
    // A write past a file-size limit (ulimit -f) fails with EFBIG, reported like a full disk,
    // instead of killing benchctl before it can keep what it measured.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"benchctl: run web-server benchmarks and report them", "benchctl"};
    app.set_version_flag("--version", fmt::format("benchctl {} ({})", benchctl::k_version,
                                                  benchctl::k_git_revision));
    app.require_subcommand(1);
    app.fallthrough(false);
    std::vector<std::pair<CLI::App*, benchctl::CommandAction>> actions;
    for (const benchctl::CommandDefinition& definition : k_commands) {
        CLI::App* command = app.add_subcommand(definition.name, definition.summary);
        actions.emplace_back(command, definition.define(*command));
    }
    std::string command_name;
    try {
        command_name = named_command(argc, argv);
    } catch (const benchctl::UserError& e) {
        fmt::print(stderr, "benchctl: error: {}\n", e.message());
        return benchctl::k_exit_usage;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        print_parse_error(e, command_name.empty() ? nullptr : app.get_subcommand(command_name),
                          std::vector<std::string>(argv + 1, argv + argc));
        return benchctl::k_exit_usage;
    }
    try {
        for (auto& [command, action] : actions) {
            if (command->parsed())
                return action();
        }
    } catch (const benchctl::StorageError& e) {
        fmt::print(stderr, "benchctl: error: {}\n", e.message());
        return benchctl::k_exit_storage;
    } catch (const benchctl::UserError& e) {
        fmt::print(stderr, "benchctl: error: {}\n", e.message());
        return benchctl::k_exit_usage;
    } catch (const std::exception& e) {
        fmt::print(stderr, "benchctl: internal error: {}\n", e.what());
        return benchctl::k_exit_internal;
    }
    return benchctl::k_exit_usage;
}
