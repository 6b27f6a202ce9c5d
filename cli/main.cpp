// benchctl's entry point: a table of subcommands, parsed with CLI11. Every user error is caught
// here once and printed as "benchctl: error: <what>, <where>; <hint>" with exit code 2.

#include <fmt/format.h>

#include <array>
#include <benchctl/version.hpp>
#include <cstdio>
#include <exception>

#include "commands.hpp"
#include "util/error.hpp"

namespace {

constexpr int k_exit_usage = 2;
constexpr int k_exit_internal = 3;

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
    benchctl::CommandDefinition{"import",
                                "Turn wrk, siege, gunicorn-bench or Markdown output into a run",
                                benchctl::define_import_command},
};

}  // namespace

int main(int argc, char** argv) {
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
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "benchctl: error: {}; see 'benchctl --help'\n", e.what());
        return k_exit_usage;
    }
    try {
        for (auto& [command, action] : actions) {
            if (command->parsed())
                return action();
        }
    } catch (const benchctl::UserError& e) {
        fmt::print(stderr, "benchctl: error: {}\n", e.message());
        return k_exit_usage;
    } catch (const std::exception& e) {
        fmt::print(stderr, "benchctl: internal error: {}\n", e.what());
        return k_exit_internal;
    }
    return k_exit_usage;
}
