#include "launch/process_tree.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

#include "launch/proc_table.hpp"
#include "launch_test_support.hpp"
#include "util/error.hpp"

using namespace std::chrono_literals;
using benchctl::ExitStatus;
using benchctl::LaunchSpec;
using benchctl::ProcessTree;
using benchctl::UserError;
using benchctl::testing::eventually;
using benchctl::testing::python_spec;
using benchctl::testing::read_text;
using benchctl::testing::ScratchDir;
using benchctl::testing::shell_spec;

namespace {

ExitStatus wait_for_exit(ProcessTree& tree) {
    std::optional<ExitStatus> status;
    REQUIRE(eventually([&] { return (status = tree.poll_exit()).has_value(); }));
    return *status;
}

// True when this test process has no child left, not even a zombie.
bool no_children_left() {
    return waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD;
}

bool process_exists(pid_t pid, std::uint64_t start_ticks) {
    auto entry = benchctl::read_proc_entry(pid);
    return entry && entry->start_ticks == start_ticks;
}

std::string start_error(const LaunchSpec& spec) {
    try {
        ProcessTree::start(spec);
    } catch (const UserError& error) {
        return error.what();
    }
    FAIL("no UserError");
    return "";
}

// A python process that ignores SIGTERM and says so on its log once it does.
constexpr const char* k_ignores_term =
    "import signal, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "print('ignoring', flush=True)\n"
    "time.sleep(300)\n";

}  // namespace

TEST_CASE("reports the exit code of a root that exits", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec("exit 3", dir.file("log")));
    ExitStatus status = wait_for_exit(tree);
    CHECK(status.code == 3);
    CHECK(status.signal == 0);
    CHECK(status.to_string() == "exited with code 3");
    CHECK(tree.poll_exit()->code == 3);
}

TEST_CASE("reports the signal that killed the root", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec("kill -KILL $$", dir.file("log")));
    ExitStatus status = wait_for_exit(tree);
    CHECK(status.signal == SIGKILL);
    CHECK(status.to_string() == "killed by SIGKILL");
}

TEST_CASE("runs the command in its own process group, with cwd, env and the log", "[launch]") {
    ScratchDir dir;
    {
        std::ofstream log(dir.file("log"));
        log << "earlier line\n";
    }
    LaunchSpec spec;
    spec.argv = {"/bin/sh", "-c", "echo \"$GREETING from $(pwd)\"; echo oops >&2; sleep 300"};
    spec.cwd = dir.path();
    spec.env = {{"GREETING", "hello"}, {"HOME", "/nowhere"}};
    spec.log_path = dir.file("log");
    ProcessTree tree = ProcessTree::start(spec);
    CHECK(tree.log_start_offset() == std::string("earlier line\n").size());
    auto entry = benchctl::read_proc_entry(tree.root());
    REQUIRE(entry);
    CHECK(entry->pgid == tree.root());
    CHECK(entry->pgid != getpgrp());
    REQUIRE(
        eventually([&] { return read_text(dir.file("log")).find("oops") != std::string::npos; }));
    CHECK(read_text(dir.file("log")) == "earlier line\nhello from " + dir.path() + "\noops\n");
    CHECK(tree.stop(SIGTERM, 2s).graceful);
}

TEST_CASE("passes a variable overriding benchctl's own environment", "[launch]") {
    ScratchDir dir;
    setenv("BENCHCTL_TEST_VALUE", "outer", 1);
    LaunchSpec spec = shell_spec("echo \"$BENCHCTL_TEST_VALUE\"", dir.file("log"));
    spec.env["BENCHCTL_TEST_VALUE"] = "inner";
    ProcessTree tree = ProcessTree::start(spec);
    wait_for_exit(tree);
    unsetenv("BENCHCTL_TEST_VALUE");
    CHECK(read_text(dir.file("log")) == "inner\n");
}

TEST_CASE("throws UserError naming the program when it cannot be executed", "[launch]") {
    ScratchDir dir;
    LaunchSpec spec;
    spec.argv = {"/nonexistent/server", "--port", "1"};
    spec.log_path = dir.file("log");
    CHECK(start_error(spec) == "cannot start '/nonexistent/server': No such file or directory");

    spec.argv = {"benchctl-no-such-program-on-path"};
    CHECK(start_error(spec) ==
          "cannot start 'benchctl-no-such-program-on-path': No such file or directory");

    spec.argv = {dir.path()};
    CHECK(start_error(spec) == "cannot start '" + dir.path() + "': Permission denied");
    CHECK(no_children_left());
}

TEST_CASE("throws UserError when the cwd or the log cannot be used", "[launch]") {
    ScratchDir dir;
    LaunchSpec spec = shell_spec("true", dir.file("log"));
    spec.cwd = dir.file("missing");
    CHECK(start_error(spec) == "cannot start '/bin/sh': cannot change to directory '" +
                                   dir.file("missing") + "': No such file or directory");

    spec.cwd.clear();
    spec.log_path = dir.file("missing/log");
    CHECK(start_error(spec).find("cannot open its log file '" + dir.file("missing/log") + "'") !=
          std::string::npos);
    CHECK(no_children_left());
}

TEST_CASE("the child does not inherit benchctl's descriptors, ignored or blocked signals",
          "[launch]") {
    ScratchDir dir;
    int leaked = open("/dev/null", O_RDONLY);  // no O_CLOEXEC on purpose
    REQUIRE(leaked >= 3);
    std::string probe = "test -e /proc/self/fd/" + std::to_string(leaked) +
                        " && echo fd-open || echo fd-closed; "
                        "grep -E '^Sig(Blk|Ign)' /proc/self/status";
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    struct sigaction previous {};
    sigaction(SIGTERM, &ignore, &previous);
    sigset_t blocked, old_mask;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &blocked, &old_mask);

    ProcessTree tree = ProcessTree::start(shell_spec(probe, dir.file("log")));

    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    sigaction(SIGTERM, &previous, nullptr);
    close(leaked);
    CHECK(wait_for_exit(tree).code == 0);
    CHECK(read_text(dir.file("log")) ==
          "fd-closed\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST_CASE("stop ends a process that exits on SIGTERM without SIGKILL", "[launch]") {
    ScratchDir dir;
    LaunchSpec spec;
    spec.argv = {"sleep", "300"};
    spec.log_path = dir.file("log");
    ProcessTree tree = ProcessTree::start(spec);
    benchctl::StopReport report = tree.stop(SIGTERM, 5s);
    CHECK(report.graceful);
    CHECK(report.killed == 0);
    REQUIRE(report.root_status);
    CHECK(report.root_status->signal == SIGTERM);
    CHECK(tree.members().empty());
    CHECK(no_children_left());
}

TEST_CASE("stop SIGKILLs a process that ignores SIGTERM once the grace period is over",
          "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(python_spec(k_ignores_term, dir.file("log")));
    REQUIRE(eventually([&] { return read_text(dir.file("log")) == "ignoring\n"; }));
    auto begin = std::chrono::steady_clock::now();
    benchctl::StopReport report = tree.stop(SIGTERM, 300ms);
    auto took = std::chrono::steady_clock::now() - begin;
    CHECK(took >= 300ms);
    CHECK(took < 1500ms);
    CHECK_FALSE(report.graceful);
    CHECK(report.killed == 1);
    REQUIRE(report.root_status);
    CHECK(report.root_status->signal == SIGKILL);
    CHECK(no_children_left());
}

TEST_CASE("stop is idempotent", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec("exec sleep 300", dir.file("log")));
    benchctl::StopReport first = tree.stop(SIGTERM, 2s);
    benchctl::StopReport second = tree.stop(SIGTERM, 2s);
    CHECK(second.graceful == first.graceful);
    CHECK(second.killed == first.killed);
    REQUIRE(second.root_status);
    CHECK(second.root_status->signal == SIGTERM);
}

TEST_CASE("finds, kills and reaps a grandchild that daemonised with setsid", "[launch]") {
    benchctl::become_child_subreaper();
    ScratchDir dir;
    // The subshell exits at once, so the setsid'd sleep is an orphan in a session of its own.
    ProcessTree tree = ProcessTree::start(
        shell_spec("(setsid sleep 300 &) ; echo started; sleep 300", dir.file("log")));
    std::optional<benchctl::ProcEntry> daemon;
    REQUIRE(eventually([&] {
        for (pid_t pid : tree.members()) {
            auto entry = benchctl::read_proc_entry(pid);
            if (entry && entry->sid == entry->pid && entry->pid != tree.root())
                daemon = entry;
        }
        return daemon.has_value();
    }));
    CHECK(daemon->pgid != tree.root());
    CHECK(process_exists(daemon->pid, daemon->start_ticks));
    benchctl::StopReport report = tree.stop(SIGTERM, 2s);
    CHECK(report.graceful);
    CHECK_FALSE(process_exists(daemon->pid, daemon->start_ticks));
    CHECK(benchctl::testing::processes_tagged_by_this_process().empty());
    CHECK(no_children_left());
}

TEST_CASE("finds a daemon that escaped through a python double fork", "[launch]") {
    benchctl::become_child_subreaper();
    ScratchDir dir;
    ProcessTree tree =
        ProcessTree::start(python_spec("import os, signal, time\n"
                                       "if os.fork() == 0:\n"
                                       "    os.setsid()\n"
                                       "    if os.fork() == 0:\n"
                                       "        signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                                       "        print('daemon', os.getpid(), flush=True)\n"
                                       "        time.sleep(300)\n"
                                       "    os._exit(0)\n"
                                       "os.wait()\n"
                                       "time.sleep(300)\n",
                                       dir.file("log")));
    REQUIRE(eventually([&] { return read_text(dir.file("log")).find("daemon") == 0; }));
    pid_t daemon = std::stoi(read_text(dir.file("log")).substr(7));
    auto members = tree.members();
    CHECK(std::find(members.begin(), members.end(), daemon) != members.end());
    benchctl::StopReport report =
        tree.stop(SIGTERM, 1s);  // time for the root to die of SIGTERM on a loaded machine
    CHECK_FALSE(report.graceful);
    CHECK(report.killed == 1);  // the daemon ignores SIGTERM; the root does not
    CHECK(benchctl::testing::processes_tagged_by_this_process().empty());
    CHECK(no_children_left());
}

TEST_CASE("destroying a running tree kills and reaps it", "[launch]") {
    ScratchDir dir;
    pid_t root = 0;
    {
        ProcessTree tree = ProcessTree::start(shell_spec("sleep 300 & sleep 300", dir.file("log")));
        root = tree.root();
        REQUIRE(eventually([&] { return tree.members().size() >= 2; }));
    }
    CHECK_FALSE(benchctl::read_proc_entry(root));
    CHECK(benchctl::testing::processes_tagged_by_this_process().empty());
    CHECK(no_children_left());
}

TEST_CASE("poll_exit and members can run on different threads at once", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec("sleep 0.3", dir.file("log")));
    std::atomic<bool> done{false};
    std::size_t scans = 0;
    std::thread sampler([&] {
        while (!done) {
            tree.members();
            ++scans;
        }
    });
    ExitStatus status = wait_for_exit(tree);
    done = true;
    sampler.join();
    CHECK(status.code == 0);
    CHECK(scans > 0);
    CHECK(tree.members().empty());
}

namespace {

// Both ways of tracking a tree: a cgroup where this machine allows it, and the /proc scan.
const char* tracking_mode() {
    return GENERATE(as<const char*>{}, "default", "no-cgroup");
}

const char* no_cgroup_value(const char* mode) {
    return std::string(mode) == "no-cgroup" ? "1" : nullptr;
}

// The daemon of hidden_daemon_command(), once it wrote its pid, guarded against leaking.
struct Daemon {
    pid_t pid = 0;
    std::uint64_t start_ticks = 0;
};

Daemon wait_for_daemon(const std::string& log) {
    Daemon daemon;
    REQUIRE(eventually([&] { return (daemon.pid = benchctl::testing::daemon_pid_in(log)) != 0; }));
    auto entry = benchctl::read_proc_entry(daemon.pid);
    REQUIRE(entry);
    daemon.start_ticks = entry->start_ticks;
    return daemon;
}

bool contains(const std::vector<pid_t>& pids, pid_t pid) {
    return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

pid_t parent_of(pid_t pid) {
    auto entry = benchctl::read_proc_entry(pid);
    return entry ? entry->ppid : 0;
}

}  // namespace

TEST_CASE("a daemon with an emptied environment is a member and dies with the tree", "[launch]") {
    benchctl::become_child_subreaper();
    const char* mode = tracking_mode();
    benchctl::testing::ScopedEnv cgroup_switch("BENCHCTL_NO_CGROUP", no_cgroup_value(mode));
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec(
        benchctl::testing::hidden_daemon_command() + "; exec sleep 300", dir.file("log")));
    Daemon daemon = wait_for_daemon(dir.file("log"));
    benchctl::testing::KillOnExit guard(daemon.pid, daemon.start_ticks);
    CHECK(benchctl::read_proc_entry(daemon.pid)->sid == daemon.pid);
    CHECK(eventually([&] { return contains(tree.members(), daemon.pid); }));
    tree.stop(SIGTERM, 2s);
    CHECK_FALSE(process_exists(daemon.pid, daemon.start_ticks));
    CHECK(benchctl::testing::processes_tagged_by_this_process().empty());
    CHECK(no_children_left());
}

TEST_CASE("the supervisor kills the whole tree when benchctl dies by SIGKILL", "[launch]") {
    benchctl::become_child_subreaper();
    const char* mode = tracking_mode();
    benchctl::testing::ScopedEnv cgroup_switch("BENCHCTL_NO_CGROUP", no_cgroup_value(mode));
    ScratchDir dir;
    int started[2];
    REQUIRE(pipe(started) == 0);
    // A stand-in for benchctl: starts a tree, says so, and waits to be killed.
    pid_t benchctl_pid = fork();
    if (benchctl_pid == 0) {
        try {
            ProcessTree tree = ProcessTree::start(shell_spec(
                benchctl::testing::hidden_daemon_command() + "; echo root $$; exec sleep 300",
                dir.file("log")));
            ssize_t ignored = write(started[1], "s", 1);
            (void)ignored;
            for (;;)
                pause();
        } catch (...) {
            _exit(3);
        }
    }
    close(started[1]);
    char byte = 0;
    bool tree_started = read(started[0], &byte, 1) == 1;
    close(started[0]);
    REQUIRE(tree_started);
    Daemon daemon = wait_for_daemon(dir.file("log"));
    benchctl::testing::KillOnExit guard(daemon.pid, daemon.start_ticks);
    REQUIRE(
        eventually([&] { return read_text(dir.file("log")).find("root ") != std::string::npos; }));
    kill(benchctl_pid, SIGKILL);
    waitpid(benchctl_pid, nullptr, 0);
    CHECK(eventually([&] { return !process_exists(daemon.pid, daemon.start_ticks); }, 3s));
    // The supervisor, re-parented to this test process when its parent died, exits once done.
    CHECK(eventually([&] {
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        return no_children_left();
    }));
}

TEST_CASE("orphans of a tree whose supervisor died are adopted by benchctl and killed",
          "[launch]") {
    benchctl::become_child_subreaper();
    const char* mode = tracking_mode();
    benchctl::testing::ScopedEnv cgroup_switch("BENCHCTL_NO_CGROUP", no_cgroup_value(mode));
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec(
        benchctl::testing::hidden_daemon_command() + "; exec sleep 300", dir.file("log")));
    Daemon daemon = wait_for_daemon(dir.file("log"));
    benchctl::testing::KillOnExit guard(daemon.pid, daemon.start_ticks);
    pid_t supervisor = parent_of(tree.root());
    // A supervisor sits between benchctl and the root, and took the daemon in.
    REQUIRE(supervisor != getpid());
    REQUIRE(eventually([&] { return parent_of(daemon.pid) == supervisor; }));
    kill(supervisor, SIGKILL);
    REQUIRE(eventually([&] { return parent_of(daemon.pid) == getpid(); }));
    CHECK(eventually([&] { return contains(tree.members(), daemon.pid); }));
    // The root had PR_SET_PDEATHSIG from its supervisor.
    CHECK(eventually([&] { return tree.poll_exit().has_value(); }));
    tree.stop(SIGTERM, 2s);
    CHECK_FALSE(process_exists(daemon.pid, daemon.start_ticks));
    CHECK(no_children_left());
}

TEST_CASE("records how the tree's membership is tracked", "[launch]") {
    ScratchDir dir;
    {
        benchctl::testing::ScopedEnv cgroup_switch("BENCHCTL_NO_CGROUP", "1");
        ProcessTree tree = ProcessTree::start(shell_spec("exec sleep 300", dir.file("log")));
        CHECK(tree.tracking() == benchctl::ProcessTracking::scan);
        CHECK_FALSE(tree.cpu_time());
    }
    ProcessTree tree = ProcessTree::start(shell_spec("exec sleep 300", dir.file("log")));
    if (tree.tracking() == benchctl::ProcessTracking::cgroup) {
        CHECK(tree.cpu_time());
    } else {
        WARN("no cgroup v2 group can be created here; only the fallback is tested");
    }
}

TEST_CASE("a child of benchctl marked foreign is never taken for an adopted orphan", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec("exec sleep 300", dir.file("log")));
    // A child of this process started after the tree's supervisor: what an orphan re-parented to
    // benchctl looks like, and what an agent's carrier started in the same clock tick looks like.
    pid_t child = fork();
    if (child == 0) {
        execl("/bin/sleep", "sleep", "300", static_cast<char*>(nullptr));
        _exit(127);
    }
    REQUIRE(child > 0);
    CHECK(eventually([&] { return contains(tree.members(), child); }));
    benchctl::mark_foreign_child(child);
    CHECK_FALSE(contains(tree.members(), child));
    tree.stop(SIGTERM, 2s);
    CHECK(kill(child, 0) == 0);  // the tree's stop left it alone
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    benchctl::forget_foreign_child(child);
}
