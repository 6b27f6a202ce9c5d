#pragma once

#include <map>
#include <string>
#include <vector>

#include "services/service_kind.hpp"

namespace benchctl {

// Where the programs of a kind's server are on this machine: "initdb" ->
// "/usr/lib/postgresql/15/bin/initdb".
struct ServerPrograms {
    std::map<std::string, std::string> paths;

    // The path of `program`. Throws std::out_of_range for a program the kind does not use.
    const std::string& at(const std::string& program) const { return paths.at(program); }
};

// Where programs are looked for.
struct ProgramSearch {
    std::string path;                // like $PATH: directories separated by ':'
    std::string postgres_root;       // Debian's /usr/lib/postgresql (<version>/bin below it)
    std::vector<std::string> extra;  // after the PATH: /usr/local/sbin, /usr/sbin, /sbin

    // benchctl's $PATH, Debian's PostgreSQL root and the sbin directories.
    static ProgramSearch from_environment();
};

// Finds the programs `kind` runs: postgres initdb, postgres and createdb, from the newest
// <postgres_root>/<version>/bin that has initdb and postgres (Debian's layout), else from the
// PATH; redis redis-server and nginx nginx from the PATH, else from the extra directories.
// Throws UserError (no `where`) naming what is missing and the Debian package that installs it.
ServerPrograms find_server_programs(
    ServiceKind kind, const ProgramSearch& search = ProgramSearch::from_environment());

}  // namespace benchctl
