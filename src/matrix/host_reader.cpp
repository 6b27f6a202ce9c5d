#include "matrix/host_reader.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <set>

#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "util/duration.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

constexpr std::string_view k_host_name_characters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
// What ssh (or the remote shell) would read as something else: an option, a word break, a quote.
constexpr std::string_view k_ssh_unsafe = " \t\r\n'\"`\\$;";
constexpr unsigned k_max_port = 65535;

std::string scalar_of(const DocNode* node) {
    return node != nullptr && node->is_scalar() ? node->scalar : std::string();
}

std::vector<std::string> host_names(const std::vector<HostSpec>& hosts) {
    std::vector<std::string> names;
    for (const HostSpec& host : hosts)
        names.push_back(host.name);
    return names;
}

// An ssh field ssh itself would misread (`-oProxyCommand=...`, a word break); false when so.
bool check_ssh_word(const DocNode* value, const char* key, ProblemList& problems) {
    if (value == nullptr || !value->is_scalar() || value->unresolved)
        return true;
    const std::string& text = value->scalar;
    if (!text.empty() && text[0] != '-' && text.find_first_of(k_ssh_unsafe) == std::string::npos)
        return true;
    problems.add(
        value->where, fmt::format("ssh {} '{}' could be misread by ssh", key, text),
        fmt::format("write the {} without a leading '-', spaces, quotes, '$', ';' or '\\'", key));
    return false;
}

void read_ssh(const DocEntry& entry, const DocNode& ssh, HostSpec& host, ProblemList& problems) {
    if (!ssh.is_map())
        return;  // reported by check_map
    const DocNode* address = ssh.find("address");
    if (address == nullptr) {
        problems.add(ssh.where, fmt::format("host '{}' has no ssh address", entry.key),
                     "add address: the name or IP address ssh connects to (an alias of "
                     "~/.ssh/config works too)");
    }
    check_ssh_word(address, "address", problems);
    check_ssh_word(ssh.find("user"), "user", problems);
    host.address = scalar_of(address);
    host.user = scalar_of(ssh.find("user"));
    host.identity = scalar_of(ssh.find("identity"));
    if (const DocNode* port = ssh.find("port"); port != nullptr && port->is_scalar()) {
        const unsigned long value = std::strtoul(port->scalar.c_str(), nullptr, 10);
        if (value > k_max_port) {
            problems.add(port->where, fmt::format("ssh port {} is above 65535", port->scalar),
                         "write the port sshd listens on, 22 by default");
        } else {
            host.port = static_cast<std::uint16_t>(value);
        }
    }
    if (const DocNode* options = ssh.find("options"); options != nullptr && options->is_list()) {
        for (const DocNode& option : options->items) {
            if (!option.is_scalar())
                continue;
            if (option.scalar.find('=') == std::string::npos || option.scalar[0] == '-') {
                problems.add(option.where, fmt::format("malformed ssh option '{}'", option.scalar),
                             "write Key=Value, as after ssh -o (e.g. "
                             "StrictHostKeyChecking=accept-new)");
            }
            host.options.push_back(option.scalar);
        }
    }
}

void read_host(const DocEntry& entry, HostSpec& host, ProblemList& problems) {
    const DocNode& value = entry.value;
    check_map(value, host_schema(), problems);
    if (!value.is_map())
        return;
    const DocNode* local = value.find("local");
    const DocNode* ssh = value.find("ssh");
    const bool is_local = local != nullptr && local->is_scalar() && local->scalar == "true";
    if (is_local == (ssh != nullptr)) {
        problems.add(entry.key_where,
                     fmt::format("host '{}' must be either local: true or ssh: {{...}}", entry.key),
                     "write local: true for this machine, or ssh: {address: ...} for another");
    }
    host.local = is_local;
    if (ssh != nullptr)
        read_ssh(entry, *ssh, host, problems);
    host.benchctl = scalar_of(value.find("benchctl"));
    const DocNode* copy = value.find("copy_binary");
    host.copy_binary = copy != nullptr && copy->is_scalar() && copy->scalar == "true";
}

// One entry of load.agents; false when it names no usable agent.
bool read_agent(const DocNode& item, const std::vector<HostSpec>& hosts, LoadAgentSpec& agent,
                ProblemList& problems) {
    const DocNode* name = &item;
    if (item.is_map()) {
        static const MapSchema schema{"agent",
                                      {{"host", ValueType::text}, {"weight", ValueType::text}}};
        check_map(item, schema, problems);
        name = item.find("host");
        if (name == nullptr) {
            problems.add(item.where, "a load agent without a host",
                         "write {host: <a name of hosts:>, weight: 2}, or just the name");
            return false;
        }
        if (const DocNode* weight = item.find("weight"); weight != nullptr && weight->is_scalar()) {
            char* end = nullptr;
            agent.weight = std::strtod(weight->scalar.c_str(), &end);
            if (weight->scalar.empty() || *end != '\0' || !(agent.weight > 0) ||
                agent.weight > 1e6) {
                problems.add(weight->where,
                             fmt::format("malformed agent weight '{}'", weight->scalar),
                             "write a positive number: weights are relative (1 and 2 give the "
                             "second two thirds of the load)");
                return false;
            }
        }
    } else if (!item.is_scalar()) {
        problems.add(
            item.where,
            fmt::format("a load agent is a host name or a map, got {}", kind_name(item.kind)),
            "write agents: [client1, {host: client2, weight: 2}]");
        return false;
    }
    agent.host = read_placement(name, hosts, problems);
    return !agent.host.empty();
}

// Every agent needs a connection of its own (split_load).
void check_agent_connections(const DocNode& load, std::size_t agents, ProblemList& problems) {
    const DocNode* connections = load.find("connections");
    std::uint64_t count = 10;  // k_default_connections
    if (connections != nullptr) {
        if (!connections->is_scalar() || connections->unresolved)
            return;
        try {
            count = parse_count(connections->scalar, "connections");
        } catch (const std::exception&) {
            return;  // reported by check_map
        }
    }
    if (count >= agents)
        return;
    const SourceLocation where = connections != nullptr ? connections->where : load.where;
    problems.add(where,
                 fmt::format("{} connections cannot be split over {} load agents", count, agents),
                 fmt::format("raise load.connections to at least {} (one per agent), or name "
                             "fewer agents",
                             agents));
}

}  // namespace

void check_remote_target(const DocNode& target, ProblemList& problems) {
    const char* const hint = "remove it for a target on an ssh host, or run the target here";
    if (const DocNode* companions = target.find("companions");
        companions != nullptr && !companions->unresolved) {
        problems.add(companions->where, "companions start on this machine only", hint);
    }
}

void check_remote_service(const DocNode& service, ProblemList& problems) {
    if (service.find("kind") == nullptr) {
        check_remote_target(service, problems);
        return;
    }
    // A known kind runs in its agent's session directory there, removed with the session.
    if (const DocNode* keep = service.find("keep_data");
        keep != nullptr && keep->is_scalar() && keep->scalar == "true") {
        problems.add(keep->where,
                     "keep_data keeps a service's data on this machine only; on an ssh host it "
                     "is removed with its agent's session",
                     "remove keep_data, or run the service here (no host:)");
    }
    // A socket path is a file of this machine, which nginx on another host cannot reach.
    if (const DocNode* upstream = service.find("upstream");
        upstream != nullptr && upstream->is_scalar() && upstream->scalar.rfind("unix:", 0) == 0) {
        problems.add(upstream->where,
                     "an nginx on an ssh host cannot reach a Unix socket of this machine",
                     "write host:port of an address that host reaches, or run nginx here");
    }
}

const HostSpec* find_host(const std::vector<HostSpec>& hosts, const std::string& name) {
    for (const HostSpec& host : hosts) {
        if (host.name == name)
            return &host;
    }
    return nullptr;
}

std::vector<HostSpec> read_hosts(const DocNode* hosts, ProblemList& problems) {
    std::vector<HostSpec> result;
    if (hosts == nullptr || hosts->kind == DocNode::Kind::null)
        return result;
    if (!hosts->is_map()) {
        problems.add(hosts->where,
                     fmt::format("hosts expects a map of hosts, got {}", kind_name(hosts->kind)),
                     "write hosts: {server1: {ssh: {address: 10.0.0.10}}, here: {local: true}}");
        return result;
    }
    check_duplicate_keys(*hosts, problems);
    for (const DocEntry& entry : hosts->entries) {
        if (entry.key.empty() ||
            entry.key.find_first_not_of(k_host_name_characters) != std::string::npos) {
            problems.add(entry.key_where, fmt::format("malformed host name '{}'", entry.key),
                         "use letters, digits, '.', '_' and '-'");
            continue;
        }
        if (find_host(result, entry.key) != nullptr)
            continue;  // reported by check_duplicate_keys
        HostSpec host;
        host.name = entry.key;
        host.where = entry.key_where;
        read_host(entry, host, problems);
        result.push_back(std::move(host));
    }
    return result;
}

std::string read_placement(const DocNode* host, const std::vector<HostSpec>& hosts,
                           ProblemList& problems) {
    if (host == nullptr || !host->is_scalar() || host->unresolved)
        return "";
    if (find_host(hosts, host->scalar) != nullptr)
        return host->scalar;
    std::string hint = hosts.empty() ? fmt::format(
                                           "add hosts: {{{}: {{ssh: {{address: ...}}}}}} (or "
                                           "{{local: true}}) at the top level",
                                           host->scalar)
                                     : unknown_name_hint(host->scalar, host_names(hosts), "hosts");
    problems.add(host->where, fmt::format("unknown host '{}'", host->scalar), hint);
    return "";
}

std::vector<LoadAgentSpec> read_load_agents(const DocNode& load, const std::vector<HostSpec>& hosts,
                                            ProblemList& problems) {
    std::vector<LoadAgentSpec> agents;
    const DocNode* list = load.find("agents");
    if (list == nullptr || list->kind == DocNode::Kind::null)
        return agents;
    if (!list->is_list() || list->items.empty()) {
        problems.add(list->where,
                     list->is_list() ? "load.agents names no agent"
                                     : fmt::format("load.agents expects a list of hosts, got {}",
                                                   kind_name(list->kind)),
                     "write agents: [client1, {host: client2, weight: 2}], or remove it to run "
                     "the load here");
        return agents;
    }
    std::set<std::string> seen;
    for (const DocNode& item : list->items) {
        LoadAgentSpec agent;
        if (!read_agent(item, hosts, agent, problems))
            continue;
        if (!seen.insert(agent.host).second) {
            problems.add(item.where, fmt::format("host '{}' is a load agent twice", agent.host),
                         "name each host once; give it a weight to send it a larger share");
            continue;
        }
        agents.push_back(agent);
    }
    check_agent_connections(load, list->items.size(), problems);
    return agents;
}

}  // namespace benchctl
