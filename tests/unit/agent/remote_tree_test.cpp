#include "agent/remote_tree.hpp"

#include <catch2/catch.hpp>
#include <csignal>

#include "agent/agent_client.hpp"
#include "agent_test_support.hpp"

using namespace benchctl;
using namespace benchctl::testing;
using namespace std::chrono_literals;

namespace {

LaunchSpec shell(const std::string& script, const std::string& log) {
    LaunchSpec spec;
    spec.shell = script;
    spec.log_path = log;
    return spec;
}

ReadinessSpec log_line(const std::string& pattern) {
    ReadinessSpec spec;
    spec.kind = ReadinessKind::log;
    spec.log_pattern = pattern;
    spec.timeout = 5s;
    return spec;
}

}  // namespace

TEST_CASE("a remote tree starts, is ready, is sampled and stops with its whole log copied here") {
    ScratchDir dir;
    InProcessAgent agent;
    AgentClient client("b", agent.channel(), 5000ms, "");
    const std::string log = dir.file("target.log");
    RemoteTree tree = RemoteTree::launch(
        client, "target",
        shell("echo listening; trap 'echo bye; exit 0' TERM; while :; do sleep 0.05; done", log),
        log_line("listening"), 0);
    REQUIRE(tree.ready().has_value());
    CHECK(tree.ready()->ready);
    CHECK(process_alive(tree.root()));
    CHECK(tree.member_count() >= 1);
    CHECK_FALSE(tree.poll_exit().has_value());
    tree.start_sampling(20ms);
    std::this_thread::sleep_for(150ms);
    ResourceUsage usage = tree.finish_sampling();
    CHECK(usage.samples >= 2);
    CHECK(usage.peak_rss_bytes > 0);
    StopReport report = tree.stop(SIGTERM, 2s);
    CHECK(report.graceful);
    // Everything the tree wrote, up to its last words on SIGTERM (sh may also report its
    // terminated sleep in between).
    const std::string copied = read_text(log);
    CHECK(copied.rfind("listening\n", 0) == 0);
    CHECK(copied.size() >= 4);
    CHECK(copied.substr(copied.size() - 4) == "bye\n");
    CHECK_FALSE(process_alive(tree.root()));
}

TEST_CASE("a remote tree's CPU time is measured by its agent: it grows while the tree is busy") {
    ScratchDir dir;
    InProcessAgent agent;
    AgentClient client("b", agent.channel(), 5000ms, "");
    RemoteTree busy = RemoteTree::launch(
        client, "busy", shell("while :; do :; done", dir.file("busy.log")), std::nullopt, 0);
    const std::chrono::microseconds before = busy.cpu_time();
    std::this_thread::sleep_for(300ms);
    const std::chrono::microseconds spent = busy.cpu_time() - before;
    CHECK(spent >= 100ms);  // a spinning shell, most of a core even on a loaded machine
    CHECK(spent <= 2s);     // never more than the wall time on every core of this machine
    busy.stop(SIGKILL, 0s);

    RemoteTree idle = RemoteTree::launch(
        client, "idle", shell("exec sleep 60", dir.file("idle.log")), std::nullopt, 0);
    const std::chrono::microseconds idle_before = idle.cpu_time();
    std::this_thread::sleep_for(200ms);
    CHECK(idle.cpu_time() - idle_before < 50ms);
    idle.stop(SIGKILL, 0s);
}

TEST_CASE("a remote tree that exits says how, and one that cannot start says why") {
    ScratchDir dir;
    InProcessAgent agent;
    AgentClient client("b", agent.channel(), 5000ms, "");
    RemoteTree tree = RemoteTree::launch(
        client, "short", shell("echo last words; exit 3", dir.file("short.log")), std::nullopt, 0);
    std::optional<ExitStatus> status;
    REQUIRE(eventually([&] { return (status = tree.poll_exit()).has_value(); }));
    CHECK(status->code == 3);
    // Once the agent says the tree ended, its whole log is here: the reason can be read at once.
    CHECK(read_text(dir.file("short.log")) == "last words\n");
    tree.stop(SIGTERM, 1s);

    RemoteTree early = RemoteTree::launch(client, "early",
                                          shell("echo cannot bind; exit 1", dir.file("early.log")),
                                          log_line("never printed"), 0);
    REQUIRE(early.ready().has_value());
    CHECK_FALSE(early.ready()->ready);
    CHECK(early.ready()->reason.find("exited with code 1") != std::string::npos);
    CHECK(read_text(dir.file("early.log")) == "cannot bind\n");
    early.stop(SIGTERM, 1s);

    LaunchSpec missing;
    missing.argv = {"/no/such/server"};
    missing.log_path = dir.file("missing.log");
    try {
        RemoteTree::launch(client, "missing", missing, std::nullopt, 0);
        FAIL("a missing program started");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::refused);
        CHECK(std::string(error.what()).find("cannot start '/no/such/server'") == 0);
        CHECK(error.where() == "host 'b'");
    }
}

TEST_CASE("a remote tree dropped without a stop is killed on its host") {
    ScratchDir dir;
    InProcessAgent agent;
    AgentClient client("b", agent.channel(), 5000ms, "");
    pid_t root = 0;
    {
        RemoteTree tree = RemoteTree::launch(
            client, "left", shell("exec sleep 60", dir.file("l.log")), std::nullopt, 0);
        root = tree.root();
        CHECK(process_alive(root));
    }
    CHECK_FALSE(process_alive(root));
}
