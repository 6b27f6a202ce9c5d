#include "launch/readiness.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>

#include "launch_test_support.hpp"
#include "util/error.hpp"

using namespace std::chrono_literals;
using benchctl::find_free_port;
using benchctl::log_tail;
using benchctl::ProcessTree;
using benchctl::ReadinessKind;
using benchctl::ReadinessSpec;
using benchctl::ReadyOutcome;
using benchctl::wait_until_ready;
using benchctl::testing::python_spec;
using benchctl::testing::ScratchDir;
using benchctl::testing::shell_spec;

namespace {

const std::atomic<bool> k_not_cancelled{false};

ReadinessSpec readiness(ReadinessKind kind, std::chrono::nanoseconds timeout) {
    ReadinessSpec spec;
    spec.kind = kind;
    spec.timeout = timeout;
    return spec;
}

// A python process that starts listening on `port` after `delay_s` seconds.
std::string listen_later(std::uint16_t port, double delay_s) {
    return "import socket, time\n"
           "time.sleep(" +
           std::to_string(delay_s) +
           ")\n"
           "s = socket.socket()\n"
           "s.bind(('127.0.0.1', " +
           std::to_string(port) +
           "))\n"
           "s.listen()\n"
           "time.sleep(300)\n";
}

ProcessTree start_http_server(const ScratchDir& dir, std::uint16_t port) {
    benchctl::LaunchSpec spec;
    spec.argv = {"/usr/bin/python3", "-m",        "http.server",
                 "--bind",           "127.0.0.1", std::to_string(port)};
    spec.cwd = dir.path();
    spec.log_path = dir.file("log");
    return ProcessTree::start(spec);
}

}  // namespace

TEST_CASE("a TCP probe is ready once the port accepts connections", "[launch]") {
    ScratchDir dir;
    std::uint16_t port = find_free_port();
    ProcessTree tree = ProcessTree::start(python_spec(listen_later(port, 0.2), dir.file("log")));
    ReadyOutcome outcome = wait_until_ready(tree, readiness(ReadinessKind::tcp, 10s), port,
                                            dir.file("log"), k_not_cancelled);
    CHECK(outcome.ready);
    CHECK(outcome.reason.empty());
    CHECK(outcome.waited >= 200ms);
    CHECK(outcome.waited < 5s);
}

TEST_CASE("a TCP probe times out naming the refused connection", "[launch]") {
    ScratchDir dir;
    std::uint16_t port = find_free_port();
    ProcessTree tree = ProcessTree::start(shell_spec("exec sleep 300", dir.file("log")));
    ReadyOutcome outcome = wait_until_ready(tree, readiness(ReadinessKind::tcp, 300ms), port,
                                            dir.file("log"), k_not_cancelled);
    CHECK_FALSE(outcome.ready);
    CHECK(outcome.waited >= 300ms);
    CHECK(outcome.waited < 1s);
    CHECK(outcome.reason == "not ready after 0.3s (TCP connect to 127.0.0.1:" +
                                std::to_string(port) + ": connection refused)");
}

TEST_CASE("an HTTP probe wants the expected status", "[launch]") {
    ScratchDir dir;
    std::uint16_t port = find_free_port();
    ProcessTree tree = start_http_server(dir, port);
    ReadinessSpec spec = readiness(ReadinessKind::http, 10s);
    spec.http_path = "/";
    ReadyOutcome outcome = wait_until_ready(tree, spec, port, dir.file("log"), k_not_cancelled);
    CHECK(outcome.ready);

    spec.http_path = "/missing";
    spec.timeout = 200ms;
    outcome = wait_until_ready(tree, spec, port, dir.file("log"), k_not_cancelled);
    CHECK_FALSE(outcome.ready);
    CHECK(outcome.reason ==
          "not ready after 0.2s (HTTP probe GET /missing: status 404, expected 200)");

    spec.expected_status = 404;
    CHECK(wait_until_ready(tree, spec, port, dir.file("log"), k_not_cancelled).ready);
    CHECK(tree.stop(SIGTERM, 2s).graceful);
}

TEST_CASE("an HTTP probe of a port nobody listens on names the refused connection", "[launch]") {
    ScratchDir dir;
    std::uint16_t port = find_free_port();
    ProcessTree tree = ProcessTree::start(shell_spec("exec sleep 300", dir.file("log")));
    ReadinessSpec spec = readiness(ReadinessKind::http, 150ms);
    spec.http_path = "/health";
    ReadyOutcome outcome = wait_until_ready(tree, spec, port, dir.file("log"), k_not_cancelled);
    CHECK(outcome.reason == "not ready after 0.15s (HTTP probe GET /health: connection refused)");
}

TEST_CASE("a log probe is ready once a new line matches", "[launch]") {
    ScratchDir dir;
    {
        std::ofstream log(dir.file("log"));
        log << "Listening on 1 (an earlier run)\n";
    }
    ProcessTree tree = ProcessTree::start(shell_spec(
        "echo starting; sleep 0.2; printf 'Listening on '; sleep 0.2; echo 8000; sleep 300",
        dir.file("log")));
    ReadinessSpec spec = readiness(ReadinessKind::log, 10s);
    spec.log_pattern = "Listening on \\d+";
    ReadyOutcome outcome = wait_until_ready(tree, spec, 0, dir.file("log"), k_not_cancelled);
    CHECK(outcome.ready);
    CHECK(outcome.waited >= 350ms);
}

TEST_CASE("a log probe times out when no new line matches", "[launch]") {
    ScratchDir dir;
    {
        std::ofstream log(dir.file("log"));
        log << "Listening on 1 (an earlier run)\n";
    }
    ProcessTree tree =
        ProcessTree::start(shell_spec("echo starting; exec sleep 300", dir.file("log")));
    ReadinessSpec spec = readiness(ReadinessKind::log, 200ms);
    spec.log_pattern = "Listening on \\d+";
    ReadyOutcome outcome = wait_until_ready(tree, spec, 0, dir.file("log"), k_not_cancelled);
    CHECK_FALSE(outcome.ready);
    CHECK(outcome.reason ==
          "not ready after 0.2s (no line of " + dir.file("log") + " matched 'Listening on \\d+')");
}

TEST_CASE("an invalid log pattern is a UserError", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec("exec sleep 300", dir.file("log")));
    ReadinessSpec spec = readiness(ReadinessKind::log, 1s);
    spec.log_pattern = "([unclosed";
    CHECK_THROWS_AS(wait_until_ready(tree, spec, 0, dir.file("log"), k_not_cancelled),
                    benchctl::UserError);
}

TEST_CASE("a target that exits before it is ready is reported at once", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec("echo boom; exit 1", dir.file("log")));
    ReadyOutcome outcome = wait_until_ready(tree, readiness(ReadinessKind::tcp, 10s),
                                            find_free_port(), dir.file("log"), k_not_cancelled);
    CHECK_FALSE(outcome.ready);
    CHECK(outcome.reason == "exited with code 1 before it was ready");
    CHECK(outcome.waited < 2s);
}

TEST_CASE("waiting stops when cancelled", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(shell_spec("exec sleep 300", dir.file("log")));
    std::atomic<bool> cancel{true};
    ReadyOutcome outcome = wait_until_ready(tree, readiness(ReadinessKind::tcp, 10s),
                                            find_free_port(), dir.file("log"), cancel);
    CHECK_FALSE(outcome.ready);
    CHECK(outcome.reason == "interrupted before it was ready");
    CHECK(outcome.waited < 1s);
}

TEST_CASE("find_free_port returns a port that can be bound", "[launch]") {
    std::uint16_t port = find_free_port();
    REQUIRE(port != 0);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    close(fd);
}

TEST_CASE("log_tail returns the last lines of a log", "[launch]") {
    ScratchDir dir;
    CHECK(log_tail(dir.file("missing")) == "");
    {
        std::ofstream log(dir.file("log"));
        for (int i = 1; i <= 30; ++i)
            log << "line " << i << "\n";
    }
    CHECK(log_tail(dir.file("log"), 3) == "line 28\nline 29\nline 30");
    CHECK(log_tail(dir.file("log"), 1) == "line 30");
    CHECK(log_tail(dir.file("log"), 40).rfind("line 1\nline 2\n", 0) == 0);
    {
        std::ofstream log(dir.file("short"));
        log << "only line";
    }
    CHECK(log_tail(dir.file("short"), 5) == "only line");
}

namespace {

// A python server on `port` that answers every request with `response` (raw bytes) and closes.
std::string raw_http_server(std::uint16_t port, const std::string& response) {
    return "import socket\n"
           "s = socket.socket()\n"
           "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
           "s.bind(('127.0.0.1', " +
           std::to_string(port) +
           "))\n"
           "s.listen()\n"
           "while True:\n"
           "    c, _ = s.accept()\n"
           "    c.recv(65536)\n"
           "    c.sendall(" +
           response +
           ")\n"
           "    c.close()\n";
}

}  // namespace

TEST_CASE("an HTTP probe skips interim 1xx responses and judges the final one", "[launch]") {
    ScratchDir dir;
    std::uint16_t port = find_free_port();
    ProcessTree tree = ProcessTree::start(python_spec(
        raw_http_server(port,
                        "b'HTTP/1.1 100 Continue\\r\\n\\r\\n'"
                        "b'HTTP/1.1 103 Early Hints\\r\\nLink: </a.css>\\r\\n\\r\\n'"
                        "b'HTTP/1.1 503 Service Unavailable\\r\\nContent-Length: 0\\r\\n\\r\\n'"),
        dir.file("log")));
    ReadinessSpec spec = readiness(ReadinessKind::http, 1s);
    spec.http_path = "/health";
    ReadyOutcome outcome = wait_until_ready(tree, spec, port, dir.file("log"), k_not_cancelled);
    CHECK_FALSE(outcome.ready);
    CHECK(outcome.reason ==
          "not ready after 1s (HTTP probe GET /health: status 503, expected 200)");
    spec.expected_status = 503;
    CHECK(wait_until_ready(tree, spec, port, dir.file("log"), k_not_cancelled).ready);
    spec.expected_status = 100;  // asked for by name: the interim response itself
    CHECK(wait_until_ready(tree, spec, port, dir.file("log"), k_not_cancelled).ready);
}

TEST_CASE("an HTTP probe is ready on a 200 that follows 100 Continue", "[launch]") {
    ScratchDir dir;
    std::uint16_t port = find_free_port();
    ProcessTree tree = ProcessTree::start(
        python_spec(raw_http_server(port,
                                    "b'HTTP/1.1 100 Continue\\r\\n\\r\\n"
                                    "HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok'"),
                    dir.file("log")));
    ReadinessSpec spec = readiness(ReadinessKind::http, 5s);
    spec.http_path = "/";
    CHECK(wait_until_ready(tree, spec, port, dir.file("log"), k_not_cancelled).ready);
}

TEST_CASE("a log probe copes with a 100,000-character line", "[launch]") {
    ScratchDir dir;
    // std::regex recursed once per character and overflowed the stack on such a line.
    ProcessTree tree = ProcessTree::start(
        python_spec("import time\nprint('x' * 100000, flush=True)\nprint('ready now', flush=True)\n"
                    "time.sleep(300)\n",
                    dir.file("log")));
    ReadinessSpec spec = readiness(ReadinessKind::log, 10s);
    spec.log_pattern = "(x|y)*ready";
    ReadyOutcome outcome = wait_until_ready(tree, spec, 0, dir.file("log"), k_not_cancelled);
    CHECK(outcome.ready);
}

TEST_CASE("only the first 4096 bytes of a log line are searched", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(
        python_spec("import time\nprint('x' * 5000 + ' ready', flush=True)\ntime.sleep(300)\n",
                    dir.file("log")));
    ReadinessSpec spec = readiness(ReadinessKind::log, 300ms);
    spec.log_pattern = "ready";
    CHECK_FALSE(wait_until_ready(tree, spec, 0, dir.file("log"), k_not_cancelled).ready);
}

TEST_CASE("a log pattern with catastrophic backtracking fails before the timeout", "[launch]") {
    ScratchDir dir;
    ProcessTree tree = ProcessTree::start(
        shell_spec("echo aaaaaaaaaaaaaaaaaaaaaaaaaaaa!; exec sleep 300", dir.file("log")));
    ReadinessSpec spec = readiness(ReadinessKind::log, 3s);
    spec.log_pattern = "(a+)+$";
    // std::regex took 18 s on this line; PCRE2 stops at its backtracking limit, so the wait ends
    // on the pattern's error, not on the 3 s timeout (whose message would differ).
    std::string error;
    try {
        wait_until_ready(tree, spec, 0, dir.file("log"), k_not_cancelled);
    } catch (const benchctl::UserError& e) {
        error = e.what();
    }
    CHECK(error.find("needs too much backtracking") != std::string::npos);
}
