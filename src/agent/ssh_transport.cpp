#include "agent/ssh_transport.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <benchctl/version.hpp>
#include <cerrno>
#include <cstring>

#include "agent/agent_channel.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;

// Copying a 10-40 MB binary over a slow link.
constexpr auto k_copy_limit = 300s;

// Options benchctl always passes, after the user's (ssh keeps the first value it sees): give up
// on an unreachable host after 10 s, and on a silent connection after 15 s, so that a host that
// vanishes mid-run ends its agent's connection instead of hanging the run.
const std::vector<std::string> k_default_options = {"ConnectTimeout=10", "ServerAliveInterval=5",
                                                    "ServerAliveCountMax=3"};

bool has_any(const std::string& text, const char* characters) {
    return text.find_first_of(characters) != std::string::npos;
}

std::string field_where(const SshHost& host, const char* field) {
    return fmt::format("hosts.{}.{}", host.name, field);
}

std::string local_machine() {
    utsname uts{};
    return uname(&uts) == 0 ? uts.machine : "";
}

// Keeps only characters that are safe in a path and in an unquoted shell word.
std::string path_safe(const std::string& text) {
    std::string safe;
    for (char c : text) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        safe += ok ? c : '_';
    }
    return safe;
}

// The shell expression of the cached copy's path.
std::string cached_copy_path() {
    return fmt::format("\"${{XDG_CACHE_HOME:-$HOME/.cache}}/{}/benchctl\"", agent_cache_subdir());
}

// The remote benchctl path in double quotes, "~/" turned into $HOME (checked by check_ssh_host).
std::string quoted_remote_path(const std::string& path) {
    if (path.rfind("~/", 0) == 0)
        return "\"$HOME/" + path.substr(2) + "\"";
    return "\"" + path + "\"";
}

// Wraps a POSIX sh script for the remote login shell, whatever it is: sh -c '<script>'. The
// scripts here contain no single quote.
std::string sh_command(const std::string& script) {
    return "sh -c '" + script + "'";
}

// How to check the connection by hand, for hints.
std::string manual_check(const SshHost& host) {
    std::string command = "ssh -o BatchMode=yes";
    if (host.port != 0)
        command += fmt::format(" -p {}", host.port);
    if (!host.identity_file.empty())
        command += " -i " + host.identity_file;
    command += " " + (host.user.empty() ? "" : host.user + "@") + host.address + " true";
    return fmt::format(
        "check that `{}` works without a prompt (a key ssh offers, the host key in known_hosts)",
        command);
}

std::string copy_consent_hint(const SshHost& host) {
    return fmt::format(
        "install benchctl {} there, or let benchctl copy its own binary to {} on the host "
        "(--copy-binary; hosts.{}.copy_binary: true)",
        k_version, "${XDG_CACHE_HOME:-~/.cache}/" + agent_cache_subdir(), host.name);
}

// Copies `local_binary` to the host's cache directory, after checking the architecture.
void copy_binary(const SshHost& host, const std::string& remote_machine,
                 const std::string& local_binary) {
    const std::string here = local_machine();
    if (!remote_machine.empty() && remote_machine != here) {
        throw UserError(fmt::format("host '{}' is a {} machine; this benchctl is built for {}",
                                    host.name, remote_machine, here),
                        fmt::format("host '{}'", host.name),
                        fmt::format("install a {} build of benchctl {} on the host", remote_machine,
                                    k_version));
    }
    const std::string binary = local_binary.empty() ? this_program() : local_binary;
    int fd = open(binary.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw UserError(fmt::format("cannot read this benchctl ('{}') to copy it: {}", binary,
                                    std::strerror(errno)),
                        fmt::format("host '{}'", host.name), "");
    }
    CommandOutcome outcome =
        run_command(ssh_command(host, remote_copy_command()), fd, k_copy_limit);
    close(fd);
    if (!outcome.ok) {
        throw UserError(
            fmt::format(
                "cannot copy benchctl to host '{}': {}{}", host.name, outcome.ended,
                outcome.stderr_text.empty() ? "" : ": " + last_lines(outcome.stderr_text, 3)),
            fmt::format("host '{}'", host.name),
            "check that the host's cache directory is writable");
    }
}

std::unique_ptr<AgentClient> connect_once(const SshHost& host, bool cached_copy_only,
                                          std::chrono::milliseconds hello_timeout) {
    return connect_exec_agent(host.name,
                              ssh_command(host, remote_agent_command(host, cached_copy_only)),
                              manual_check(host), hello_timeout);
}

}  // namespace

void check_ssh_host(const SshHost& host) {
    const auto reject = [&](const char* field, const std::string& what, const std::string& hint) {
        throw UserError(what, field_where(host, field), hint);
    };
    if (host.address.empty() || host.address[0] == '-' || has_any(host.address, " \t\n'\"\\")) {
        reject("address", fmt::format("'{}' is not a host ssh can connect to", host.address),
               "give a host name, an address or an alias of your ssh config");
    }
    if (!host.user.empty() && (host.user[0] == '-' || has_any(host.user, " \t\n'\"\\@"))) {
        reject("user", fmt::format("'{}' is not a user name", host.user), "");
    }
    if (has_any(host.benchctl, "'\"$`\\\n")) {
        reject("benchctl",
               fmt::format("the path '{}' holds a quote, '$', '`' or '\\'", host.benchctl),
               "give a plain path; '~/' at its start is the remote home");
    }
    for (const std::string& option : host.options) {
        if (option.find('=') == std::string::npos || option[0] == '-') {
            reject("ssh_options", fmt::format("'{}' is not an ssh option", option),
                   "write options as Key=Value, e.g. StrictHostKeyChecking=accept-new");
        }
    }
}

std::vector<std::string> ssh_command(const SshHost& host, const std::string& remote_command) {
    std::vector<std::string> argv = {"ssh", "-T", "-o", "BatchMode=yes"};
    for (const std::string& option : host.options) {
        argv.push_back("-o");
        argv.push_back(option);
    }
    for (const std::string& option : k_default_options) {
        argv.push_back("-o");
        argv.push_back(option);
    }
    if (host.port != 0) {
        argv.push_back("-p");
        argv.push_back(std::to_string(host.port));
    }
    if (!host.identity_file.empty()) {
        argv.push_back("-i");
        argv.push_back(host.identity_file);
    }
    if (!host.user.empty()) {
        argv.push_back("-l");
        argv.push_back(host.user);
    }
    argv.push_back("--");
    argv.push_back(host.address);
    argv.push_back(remote_command);
    return argv;
}

std::string agent_cache_subdir() {
    return fmt::format("benchctl/{}-{}", path_safe(k_version), path_safe(k_git_revision));
}

std::string remote_agent_command(const SshHost& host, bool cached_copy_only) {
    const std::string absent =
        "printf \"{\\\"event\\\":\\\"absent\\\",\\\"machine\\\":\\\"%s\\\"}\\n\" \"$(uname -m)\"; "
        "exit 127";
    std::string script;
    if (cached_copy_only || host.benchctl.empty()) {
        script =
            fmt::format("c={}; if [ -x \"$c\" ]; then exec \"$c\" agent; fi; ", cached_copy_path());
        if (!cached_copy_only) {
            script += "if command -v benchctl >/dev/null 2>&1; then exec benchctl agent; fi; ";
        }
    } else {
        const std::string path = quoted_remote_path(host.benchctl);
        script = fmt::format("if [ -x {0} ]; then exec {0} agent; fi; ", path);
    }
    return sh_command(script + absent);
}

std::string remote_copy_command() {
    return sh_command(fmt::format(
        "c={}; d=$(dirname \"$c\"); mkdir -p \"$d\" && cat > \"$c.$$\" && chmod 755 \"$c.$$\" "
        "&& mv -f \"$c.$$\" \"$c\"",
        cached_copy_path()));
}

std::unique_ptr<AgentClient> connect_ssh_agent(const SshHost& host, const std::string& local_binary,
                                               std::chrono::milliseconds hello_timeout) {
    check_ssh_host(host);
    try {
        return connect_once(host, false, hello_timeout);
    } catch (const AgentError& error) {
        const bool copyable =
            error.kind() == AgentError::Kind::absent || error.kind() == AgentError::Kind::protocol;
        if (!copyable)
            throw;
        if (!host.copy_binary || !host.benchctl.empty()) {
            throw AgentError(error.kind(), error.what(), error.where(),
                             host.benchctl.empty()
                                 ? copy_consent_hint(host)
                                 : fmt::format("install benchctl {} as {} on the host, or leave "
                                               "hosts.{}.benchctl out to let benchctl copy itself",
                                               k_version, host.benchctl, host.name));
        }
        copy_binary(host, error.machine(), local_binary);
    }
    return connect_once(host, true, hello_timeout);
}

}  // namespace benchctl
