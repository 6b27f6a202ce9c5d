// `benchctl agent`: serves a coordinator on stdin/stdout (JSON lines, docs/hosts.md). Started by
// another benchctl over an exec transport (`ssh host benchctl agent`, a local fork, `docker
// exec -i ... benchctl agent`), never by hand; it takes no flags. Exits 0 once the coordinator
// asked it to shut down or its connection dropped, with everything it started torn down.

#include <unistd.h>

#include "agent/agent_server.hpp"
#include "commands.hpp"

namespace benchctl {

CommandAction define_agent_command(CLI::App& command) {
    command.footer(
        "Started by another benchctl over ssh or a local pipe; it reads requests on stdin and "
        "answers on stdout until stdin closes. See docs/hosts.md.");
    return [] { return serve_agent(STDIN_FILENO, STDOUT_FILENO); };
}

}  // namespace benchctl
