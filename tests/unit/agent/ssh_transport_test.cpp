#include "agent/ssh_transport.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <benchctl/version.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "agent/agent_channel.hpp"
#include "agent_test_support.hpp"

using namespace benchctl;
using namespace benchctl::testing;
using namespace std::chrono_literals;

namespace {

SshHost host_named(const std::string& address) {
    SshHost host;
    host.name = "client1";
    host.address = address;
    return host;
}

// Runs `command` as ssh's remote login shell would (sh -c), with a bare environment.
CommandOutcome run_remotely(const std::string& command, const std::string& home,
                            int stdin_fd = -1) {
    return run_command({"/usr/bin/env", "-i", "HOME=" + home, "XDG_CACHE_HOME=" + home + "/cache",
                        "PATH=/usr/bin:/bin", "/bin/sh", "-c", command},
                       stdin_fd, 10000ms);
}

std::string machine() {
    utsname uts{};
    uname(&uts);
    return uts.machine;
}

void write_script(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    chmod(path.c_str(), 0755);
}

}  // namespace

TEST_CASE("the ssh command never prompts and puts the user's options before benchctl's") {
    SshHost host = host_named("db.example");
    host.user = "bench";
    host.port = 2222;
    host.identity_file = "/keys/id_ed25519";
    host.options = {"ConnectTimeout=3", "StrictHostKeyChecking=accept-new"};
    std::vector<std::string> argv = ssh_command(host, "REMOTE");
    std::vector<std::string> expected = {"ssh",   "-T",
                                         "-o",    "BatchMode=yes",
                                         "-o",    "ConnectTimeout=3",
                                         "-o",    "StrictHostKeyChecking=accept-new",
                                         "-o",    "ConnectTimeout=10",
                                         "-o",    "ServerAliveInterval=5",
                                         "-o",    "ServerAliveCountMax=3",
                                         "-p",    "2222",
                                         "-i",    "/keys/id_ed25519",
                                         "-l",    "bench",
                                         "--",    "db.example",
                                         "REMOTE"};
    CHECK(argv == expected);
    // Left to ssh and the user's config when not given.
    std::vector<std::string> plain = ssh_command(host_named("alias"), "R");
    CHECK(std::find(plain.begin(), plain.end(), "-p") == plain.end());
    CHECK(std::find(plain.begin(), plain.end(), "-l") == plain.end());
}

TEST_CASE("a host that ssh or the remote shell could misread is refused, naming the key") {
    CHECK_THROWS_WITH(check_ssh_host(host_named("-oProxyCommand=touch /tmp/x")),
                      "'-oProxyCommand=touch /tmp/x' is not a host ssh can connect to");
    CHECK_THROWS_AS(check_ssh_host(host_named("")), UserError);
    SshHost quoted = host_named("ok");
    quoted.benchctl = "/opt/$(reboot)/benchctl";
    try {
        check_ssh_host(quoted);
        FAIL("a path with $ passed");
    } catch (const UserError& error) {
        CHECK(error.where() == "hosts.client1.benchctl");
    }
    SshHost option = host_named("ok");
    option.options = {"-v"};
    CHECK_THROWS_AS(check_ssh_host(option), UserError);
    CHECK_NOTHROW(check_ssh_host(host_named("user-less.example")));
}

TEST_CASE("the remote command says 'absent' with the machine when there is no benchctl") {
    ScratchDir home;
    CommandOutcome outcome =
        run_remotely(remote_agent_command(host_named("h"), false), home.path());
    CHECK(outcome.ended == "env exited with code 127");
    CHECK(outcome.stdout_text == "{\"event\":\"absent\",\"machine\":\"" + machine() + "\"}\n");
}

TEST_CASE("the remote command prefers the cached copy of this very build") {
    ScratchDir home;
    write_script(home.path() + "/cache/" + agent_cache_subdir() + "/benchctl",
                 "#!/bin/sh\necho \"cached $1\"\n");
    CommandOutcome outcome =
        run_remotely(remote_agent_command(host_named("h"), false), home.path());
    CHECK(outcome.ok);
    CHECK(outcome.stdout_text == "cached agent\n");
}

TEST_CASE("the remote command runs the benchctl the host names, '~/' being the remote home") {
    ScratchDir home;
    write_script(home.path() + "/bin/benchctl", "#!/bin/sh\necho \"named $1\"\n");
    SshHost host = host_named("h");
    host.benchctl = "~/bin/benchctl";
    CommandOutcome outcome = run_remotely(remote_agent_command(host, false), home.path());
    CHECK(outcome.stdout_text == "named agent\n");
    host.benchctl = "~/bin/missing";
    CHECK(run_remotely(remote_agent_command(host, false), home.path()).stdout_text.find("absent") !=
          std::string::npos);
}

TEST_CASE("the copy command stores its input as the cached copy, executable") {
    ScratchDir home;
    const std::string source = home.file("source");
    write_script(source, "#!/bin/sh\necho copied\n");
    int fd = open(source.c_str(), O_RDONLY | O_CLOEXEC);
    CommandOutcome outcome = run_remotely(remote_copy_command(), home.path(), fd);
    close(fd);
    REQUIRE(outcome.ok);
    const std::string copy = home.path() + "/cache/" + agent_cache_subdir() + "/benchctl";
    CHECK(read_text(copy) == "#!/bin/sh\necho copied\n");
    CHECK(access(copy.c_str(), X_OK) == 0);
    CHECK(run_remotely(remote_agent_command(host_named("h"), true), home.path()).stdout_text ==
          "copied\n");
}

namespace {

// Puts a fake `ssh` first on PATH for the test's lifetime: a Python script that plays the remote
// side. A copy command stores its stdin in $FAKE_COPY; the first agent command (the one that
// would look on the remote PATH) answers "absent" with $FAKE_MACHINE; the command that runs the
// cached copy only speaks the protocol: a hello, then {} to every request until shutdown.
class FakeSsh {
  public:
    explicit FakeSsh(const std::string& machine) {
        write_script(m_dir.file("ssh"), R"(#!/usr/bin/python3
import json, os, sys
command = sys.argv[-1]
with open(os.environ["FAKE_CALLS"], "a") as calls:
    calls.write(command + "\n")
if "cat >" in command:
    with open(os.environ["FAKE_COPY"], "wb") as copy:
        copy.write(sys.stdin.buffer.read())
    sys.exit(0)
if "command -v benchctl" in command:
    print(json.dumps({"event": "absent", "machine": os.environ["FAKE_MACHINE"]}), flush=True)
    sys.exit(127)
print(json.dumps({"event": "hello", "protocol": int(os.environ["FAKE_PROTOCOL"])}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    print(json.dumps({"id": request["id"], "ok": True, "result": {}}), flush=True)
    if request["op"] == "shutdown":
        break
)");
        const char* path = std::getenv("PATH");
        m_old_path = path != nullptr ? path : "";
        setenv("PATH", (m_dir.path() + ":" + m_old_path).c_str(), 1);
        setenv("FAKE_MACHINE", machine.c_str(), 1);
        setenv("FAKE_COPY", copy().c_str(), 1);
        setenv("FAKE_CALLS", m_dir.file("calls").c_str(), 1);
        setenv("FAKE_PROTOCOL", std::to_string(k_agent_protocol_version).c_str(), 1);
    }
    ~FakeSsh() {
        setenv("PATH", m_old_path.c_str(), 1);
        for (const char* name : {"FAKE_MACHINE", "FAKE_COPY", "FAKE_CALLS", "FAKE_PROTOCOL"})
            unsetenv(name);
    }
    std::string copy() const { return m_dir.file("copy"); }
    std::string calls() const { return read_text(m_dir.file("calls")); }
    std::string file(const std::string& name) const { return m_dir.file(name); }

  private:
    ScratchDir m_dir;
    std::string m_old_path;
};

}  // namespace

TEST_CASE("a host without benchctl is refused without consent, the hint saying how to give it") {
    FakeSsh ssh(machine());
    try {
        connect_ssh_agent(host_named("bare"));
        FAIL("connected to a host without benchctl");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::absent);
        CHECK(error.hint().find("--copy-binary; hosts.client1.copy_binary: true") !=
              std::string::npos);
    }
    CHECK(ssh.calls().find("cat >") == std::string::npos);  // nothing was copied
}

TEST_CASE(
    "with consent, benchctl copies itself to a host of its architecture and connects to the copy") {
    FakeSsh ssh(machine());
    write_script(ssh.file("this-benchctl"), "#!/bin/sh\necho the binary\n");
    SshHost host = host_named("bare");
    host.copy_binary = true;
    auto client = connect_ssh_agent(host, ssh.file("this-benchctl"));
    CHECK(client->hello().protocol == k_agent_protocol_version);
    CHECK(read_text(ssh.copy()) == "#!/bin/sh\necho the binary\n");
    // First the usual command, then the copy, then the cached copy alone.
    const std::string calls = ssh.calls();
    const auto copy_at = calls.find("cat >");
    REQUIRE(copy_at != std::string::npos);
    CHECK(calls.find("command -v benchctl") < copy_at);
    const std::string last = calls.substr(calls.rfind("sh -c", calls.size() - 2));
    CHECK(last.find(agent_cache_subdir()) != std::string::npos);
    CHECK(last.find("command -v benchctl") == std::string::npos);
    client->close();
}

TEST_CASE("benchctl is not copied to a host of another architecture") {
    FakeSsh ssh("sparc64");
    SshHost host = host_named("bare");
    host.copy_binary = true;
    try {
        connect_ssh_agent(host, "/bin/true");
        FAIL("copied to another architecture");
    } catch (const UserError& error) {
        CHECK(std::string(error.what()) ==
              "host 'client1' is a sparc64 machine; this benchctl is built for " + machine());
        CHECK(error.hint() ==
              std::string("install a sparc64 build of benchctl ") + k_version + " on the host");
    }
    CHECK(ssh.calls().find("cat >") == std::string::npos);
}
