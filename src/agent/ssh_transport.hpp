#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agent/agent_client.hpp"
#include "agent/exec_transport.hpp"

namespace benchctl {

// A host reached with the OpenSSH client (docs/hosts.md). benchctl runs `ssh` itself, so the
// user's ~/.ssh/config (aliases, ProxyJump, ControlMaster, keys of ssh-agent) applies as it does
// for any ssh command; BatchMode=yes makes a missing key or an unknown host key an error, never
// a prompt.
struct SshHost {
    std::string name;           // the host's name for messages (a matrix's hosts.<name>)
    std::string address;        // what ssh connects to: a name, an address, a ~/.ssh/config alias
    std::string user;           // "" = ssh's choice (its config, else the local user)
    std::uint16_t port = 0;     // 0 = ssh's choice
    std::string identity_file;  // "" = ssh's choice
    // Extra "Key=Value" options, passed as -o before benchctl's defaults (ConnectTimeout=10,
    // ServerAliveInterval=5, ServerAliveCountMax=3), which they therefore override.
    std::vector<std::string> options;
    // The benchctl to run there: "" = the copy in the cache directory when there is one, else
    // `benchctl` on the remote PATH; a path ("~/" allowed) = that one only.
    std::string benchctl;
    // Consent to copy this benchctl to the host's cache directory when the host has none, or one
    // that speaks another protocol (same machine architecture only).
    bool copy_binary = false;
};

// Throws UserError naming the field when `host` could be misread by ssh or the remote shell: an
// address or user that is empty or starts with '-', whitespace or quotes in them, a benchctl
// path with quotes, '$', '`', '\' or a newline, an option without '='.
void check_ssh_host(const SshHost& host);

// The ssh command line that runs `remote_command` on `host`: ssh -T -o BatchMode=yes [options]
// [-p port] [-i identity] [-l user] -- address remote_command.
std::vector<std::string> ssh_command(const SshHost& host, const std::string& remote_command);

// The directory, under ${XDG_CACHE_HOME:-$HOME/.cache}, where a copied benchctl lives:
// "benchctl/<version>-<git revision>", so that copies of different builds never mix.
std::string agent_cache_subdir();

// The command ssh runs to start the agent (a POSIX sh script in one argument): `benchctl agent`
// from host.benchctl, else the cached copy, else PATH; when none is there it prints
// {"event": "absent", "machine": "<uname -m>"} and exits 127. `cached_copy_only`: the cached
// copy and nothing else (after a copy).
std::string remote_agent_command(const SshHost& host, bool cached_copy_only);

// The command that stores its stdin as the cached copy (written beside it, then renamed).
std::string remote_copy_command();

// Connects to `host` over ssh and waits for the agent's hello. When the host has no benchctl, or
// one of another protocol, and host.copy_binary allows it, copies `local_binary` ("" = this
// program) there first (after checking that `uname -m` matches this machine's) and connects to
// the copy. Throws AgentError: unreachable (with ssh's last words), absent or protocol without
// consent (the hint says how to give it), or UserError when the copy fails or the architectures
// differ.
std::unique_ptr<AgentClient> connect_ssh_agent(
    const SshHost& host, const std::string& local_binary = "",
    std::chrono::milliseconds hello_timeout = k_default_hello_timeout);

}  // namespace benchctl
