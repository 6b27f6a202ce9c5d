#pragma once

#include <string>
#include <vector>

#include "matrix/document.hpp"
#include "matrix/matrix.hpp"

namespace benchctl {

class ProblemList;

// Reads `hosts:` (docs/hosts.md): a map of host name -> `local: true`, or `ssh: {address, user,
// port, identity, options}`, with `benchctl` (the program to run there) and `copy_binary`. Adds a
// problem at the offending key or value for a malformed name, a host that is neither local nor
// ssh (or both), an ssh map without an address, an address, user or option ssh could misread, a
// port above 65535. `hosts` may be null (no section). Returns the hosts read, in file order.
std::vector<HostSpec> read_hosts(const DocNode* hosts, ProblemList& problems);

// The host a target or service names with `host:` (may be null: ""). Adds a problem at the value
// when it is not a name of `hosts` ("did you mean"), and returns "".
std::string read_placement(const DocNode* host, const std::vector<HostSpec>& hosts,
                           ProblemList& problems);

// Reads a cell's `load.agents` (`load` is its merged load map): a list of host names or
// {host, weight} maps. Adds problems for an unknown host ("did you mean"), a host listed twice, a
// weight that is no positive number, an empty list, and fewer connections than agents (each
// needs one; at load.connections). Returns the agents read; empty when `load` has none.
std::vector<LoadAgentSpec> read_load_agents(const DocNode& load, const std::vector<HostSpec>& hosts,
                                            ProblemList& problems);

// For a target placed on an ssh host: adds a problem at each setting that works on this machine
// only: `companions`.
void check_remote_target(const DocNode& target, ProblemList& problems);

// For a service placed on an ssh host (`service` its merged settings, with `host`): a service of
// a known kind runs there through its agent, but cannot keep its data (keep_data: true) nor,
// for nginx, forward to a Unix socket of this machine (a problem at each such key); a command
// service is checked as a target on an ssh host is (check_remote_target).
void check_remote_service(const DocNode& service, ProblemList& problems);

// The host of `hosts` named `name`; nullptr when there is none.
const HostSpec* find_host(const std::vector<HostSpec>& hosts, const std::string& name);

}  // namespace benchctl
