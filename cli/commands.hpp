#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace benchctl {

// What a subcommand does once its flags are parsed; returns the process exit code. May throw
// UserError, which main() prints and turns into exit code 2.
using CommandAction = std::function<int()>;

// One row of the subcommand table: its name, its one-line summary for `benchctl --help`, and the
// function that declares its flags on `command` and returns its action.
struct CommandDefinition {
    const char* name;
    const char* summary;
    CommandAction (*define)(CLI::App& command);
};

// `benchctl load URL ...`: the load client alone, wrk's flags and more (cli/load_command.cpp).
CommandAction define_load_command(CLI::App& command);

// `benchctl run MATRIX`: every cell of a matrix file, results on disk (cli/run_command.cpp).
CommandAction define_run_command(CLI::App& command);

// `benchctl validate MATRIX`: every problem of a matrix file, file:line:col
// (cli/validate_command.cpp).
CommandAction define_validate_command(CLI::App& command);

// `benchctl list MATRIX`: the cells a matrix file expands to (cli/list_command.cpp).
CommandAction define_list_command(CLI::App& command);

// `benchctl report RUN_DIR`: Markdown, CSV, JSON or HTML reports of a run directory
// (cli/report_command.cpp).
CommandAction define_report_command(CLI::App& command);

// `benchctl compare BASE NEW`: two runs (or a run and the history's newest stable segment), cell
// by cell, with a verdict per figure and exit code 1 on a regression (cli/compare_command.cpp).
CommandAction define_compare_command(CLI::App& command);

// `benchctl history add|show|report|check`: the nightly series in one SQLite file
// (cli/history_command.cpp).
CommandAction define_history_command(CLI::App& command);

// `benchctl import [FORMAT] FILE...`: wrk, siege, gunicorn-bench or Markdown output as a run
// directory that `benchctl report` renders (cli/import_command.cpp).
CommandAction define_import_command(CLI::App& command);

// `benchctl agent`: serve a coordinator on stdin/stdout, for runs across hosts
// (cli/agent_command.cpp, docs/hosts.md).
CommandAction define_agent_command(CLI::App& command);

}  // namespace benchctl
