#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "matrix/document.hpp"

namespace benchctl {

class ProblemList;

// Checks a target's (or service's) settings against this machine, as it is now: its cwd is a
// directory, and the programs of `command` and `version` exist and are executable, found as
// execvp finds them: a name with a '/' from the target's cwd, any other name on the PATH (the
// target's env PATH if it sets one, else benchctl's). Values that still hold run-time variables
// (${run_dir} ...) and `shell` command lines are not checked. Answers are cached, so checking
// every cell of a matrix costs one look-up per distinct program. CPU lists (`cpus`) name CPUs
// this machine has and benchctl may use.
class HostCheck {
  public:
    // `matrix_directory`: where relative paths of the matrix file start ("" = the current one).
    explicit HostCheck(std::string matrix_directory);

    // Adds a problem at the offending value for each check that fails. `target` is a cell's or
    // a service's merged settings, expansion-time variables substituted.
    void check(const DocNode& target, ProblemList& problems);

    // Adds a problem at `cpus` (a target's or a load's `cpus`, may be null) when it names a CPU
    // benchctl may not use here (sched_getaffinity). `check` calls it for the target's.
    void check_cpus(const DocNode* cpus, ProblemList& problems);

  private:
    // The target's cwd, resolved; nullopt when it is no directory (reported) or known only at
    // run time.
    std::optional<std::filesystem::path> working_directory(const DocNode& target,
                                                           ProblemList& problems) const;
    void check_program(const DocNode& program, const std::filesystem::path& cwd,
                       const std::string& path, ProblemList& problems);

    std::string m_directory;
    // "<cwd>\n<PATH>\n<program>" -> what is wrong and the hint; an empty what when nothing is.
    std::map<std::string, std::pair<std::string, std::string>> m_found;
};

}  // namespace benchctl
