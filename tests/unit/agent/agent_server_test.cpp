#include "agent/agent_server.hpp"

#include <sched.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "agent/base64.hpp"
#include "agent_test_support.hpp"
#include "load/url.hpp"
#include "results/load_document.hpp"

using namespace benchctl;
using namespace benchctl::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Keeps every message, in order; waits for the answer to a request.
class RecordingSink : public MessageSink {
  public:
    bool write(const json& message) override {
        std::lock_guard lock(m_mutex);
        m_messages.push_back(message);
        m_arrived.notify_all();
        return true;
    }
    json answer(int id, std::chrono::milliseconds limit = 10s) {
        std::unique_lock lock(m_mutex);
        json found;
        m_arrived.wait_for(lock, limit, [&] {
            for (const json& message : m_messages) {
                if (message.contains("id") && message["id"] == id) {
                    found = message;
                    return true;
                }
            }
            return false;
        });
        return found;
    }
    std::vector<json> messages() const {
        std::lock_guard lock(m_mutex);
        return m_messages;
    }

  private:
    mutable std::mutex m_mutex;
    std::condition_variable m_arrived;
    std::vector<json> m_messages;
};

json request(int id, const char* op, json params = json::object()) {
    params["id"] = id;
    params["op"] = op;
    return params;
}

json shell_launch(int id, const std::string& tree, const std::string& script) {
    return request(
        id, "launch",
        {{"tree", tree},
         {"spec",
          {{"argv", json::array()}, {"shell", script}, {"cwd", ""}, {"env", json::object()}}}});
}

// A load of one thread against `url` (port 9 of 127.0.0.1 refuses every connection).
LoadSettings load_to(const std::string& url, unsigned connections) {
    LoadSettings settings;
    settings.url = parse_url(url, "test");
    settings.connections = connections;
    settings.threads = 1;
    return settings;
}

// The load_prepare request of load "l1" with `settings`.
std::string prepare_line(int id, const LoadSettings& settings) {
    return request(id, "load_prepare",
                   {{"load", "l1"}, {"document", to_load_document(settings, LoadResult())}})
        .dump();
}

std::string streamed_log(const std::vector<json>& messages, const std::string& tree) {
    std::string log;
    for (const json& message : messages) {
        if (message.value("event", "") == "log" && message["tree"] == tree)
            log += *decode_base64(message["data"].get<std::string>());
    }
    return log;
}

}  // namespace

TEST_CASE("an agent answers clock, hello and free_port at once") {
    RecordingSink sink;
    AgentServer server(sink);
    REQUIRE(server.handle_line(request(1, "clock").dump()));
    REQUIRE(server.handle_line(request(2, "hello").dump()));
    REQUIRE(server.handle_line(request(3, "free_port").dump()));
    std::vector<json> messages = sink.messages();
    REQUIRE(messages.size() == 3);
    CHECK(messages[0]["ok"] == true);
    CHECK(messages[0]["result"]["now_ns"].get<std::uint64_t>() > 0);
    CHECK(messages[1]["result"]["protocol"] == k_agent_protocol_version);
    CHECK(messages[2]["result"]["port"].get<int>() > 0);
}

TEST_CASE("an agent answers an unknown request and a line that is no request with errors") {
    RecordingSink sink;
    AgentServer server(sink);
    REQUIRE(server.handle_line(request(5, "reboot").dump()));
    REQUIRE(server.handle_line("GET / HTTP/1.1"));
    REQUIRE(server.handle_line(request(6, "poll").dump()));  // no "tree"
    std::vector<json> messages = sink.messages();
    REQUIRE(messages.size() == 3);
    CHECK(messages[0]["ok"] == false);
    CHECK(messages[0]["error"]["what"] == "unknown request 'reboot'");
    CHECK(messages[1]["event"] == "protocol_error");
    CHECK(messages[2]["ok"] == false);
    CHECK(messages[2]["error"]["what"].get<std::string>().find("tree") != std::string::npos);
}

TEST_CASE("a tree's log is streamed as it grows and completely before the answer to its stop") {
    RecordingSink sink;
    AgentServer server(sink);
    json launch =
        shell_launch(1, "web", "printf 'first\\n'; sleep 0.3; printf 'second\\n'; exec sleep 30");
    launch["ready"] = {{"kind", "log"},
                       {"http_path", "/"},
                       {"expected_status", 200},
                       {"log_pattern", "first"},
                       {"timeout_sec", 5}};
    server.handle_line(launch.dump());
    json launched = sink.answer(1);
    REQUIRE(launched["ok"] == true);
    CHECK(launched["result"]["ready"]["ready"] == true);
    const pid_t root = launched["result"]["pid"].get<pid_t>();
    CHECK(process_alive(root));
    // Streamed while the tree runs, before anyone stops it.
    CHECK(eventually([&] { return streamed_log(sink.messages(), "web") == "first\nsecond\n"; }));

    server.handle_line(request(2, "poll", {{"tree", "web"}}).dump());
    CHECK(sink.answer(2)["result"]["exit"].is_null());
    server.handle_line(
        request(3, "stop", {{"tree", "web"}, {"signal", SIGTERM}, {"grace_sec", 2}}).dump());
    json stopped = sink.answer(3);
    REQUIRE(stopped["ok"] == true);
    CHECK(stopped["result"]["graceful"] == true);
    CHECK_FALSE(process_alive(root));
    // The stop's answer comes after every log event of the tree.
    std::vector<json> messages = sink.messages();
    auto answer_at = std::find_if(messages.begin(), messages.end(),
                                  [](const json& m) { return m.value("id", 0) == 3; });
    CHECK(streamed_log(std::vector<json>(messages.begin(), answer_at), "web") == "first\nsecond\n");
    // A stopped tree is forgotten, so its name can be used again.
    server.handle_line(request(4, "poll", {{"tree", "web"}}).dump());
    CHECK(sink.answer(4)["ok"] == false);
}

TEST_CASE(
    "an agent refuses a tree name in use, one that is no file name, and a command that cannot "
    "start") {
    RecordingSink sink;
    AgentServer server(sink);
    server.handle_line(shell_launch(1, "one", "exec sleep 30").dump());
    REQUIRE(sink.answer(1)["ok"] == true);
    server.handle_line(shell_launch(2, "one", "exec sleep 30").dump());
    CHECK(sink.answer(2)["error"]["what"] == "a tree named 'one' is already running on this agent");
    server.handle_line(shell_launch(3, "../escape", "true").dump());
    CHECK(sink.answer(3)["error"]["what"] == "'../escape' is not a valid tree name");
    json missing = request(4, "launch",
                           {{"tree", "missing"},
                            {"spec",
                             {{"argv", {"/no/such/program"}},
                              {"shell", nullptr},
                              {"cwd", ""},
                              {"env", json::object()}}}});
    server.handle_line(missing.dump());
    json refused = sink.answer(4);
    CHECK(refused["ok"] == false);
    CHECK(refused["error"]["what"].get<std::string>().find("cannot start '/no/such/program'") == 0);
}

TEST_CASE("a tree's cpus pin it on the agent's host, and a CPU the host lacks is refused") {
    RecordingSink sink;
    AgentServer server(sink);
    json launch = shell_launch(1, "pinned", "exec sleep 30");
    launch["spec"]["cpus"] = {0};
    server.handle_line(launch.dump());
    json launched = sink.answer(1);
    REQUIRE(launched["ok"] == true);
    const pid_t root = launched["result"]["pid"].get<pid_t>();
    cpu_set_t set;
    CPU_ZERO(&set);
    REQUIRE(sched_getaffinity(root, sizeof(set), &set) == 0);
    CHECK(CPU_COUNT(&set) == 1);
    CHECK(CPU_ISSET(0, &set));
    server.handle_line(
        request(2, "stop", {{"tree", "pinned"}, {"signal", SIGKILL}, {"grace_sec", 0}}).dump());
    REQUIRE(sink.answer(2)["ok"] == true);

    json beyond = shell_launch(3, "beyond", "exec sleep 30");
    beyond["spec"]["cpus"] = {4095};
    server.handle_line(beyond.dump());
    const json refused = sink.answer(3);
    CHECK(refused["ok"] == false);
    CHECK(refused["error"]["what"] ==
          "CPU 4095 of target.cpus (4095) is not available on this host");
    CHECK(refused["error"]["hint"].get<std::string>().rfind("use CPUs of ", 0) == 0);
}

TEST_CASE("a service start the agent cannot serve is refused and leaves its tree name free") {
    RecordingSink sink;
    AgentServer server(sink);
    json config = {{"kind", "mysql"},    {"settings", json::array()},
                   {"keep_data", false}, {"databases", json::array()},
                   {"user", "benchctl"}, {"password", nullptr},
                   {"upstream", ""},     {"ready_timeout_sec", 5},
                   {"stop_grace_sec", 1}};
    server.handle_line(request(1, "service_start",
                               {{"tree", "service-db"},
                                {"service", "db"},
                                {"config", config},
                                {"port", 5432},
                                {"address", "10.0.0.3"}})
                           .dump());
    json refused = sink.answer(1);
    REQUIRE(refused["ok"] == false);
    CHECK_THAT(refused["error"]["what"].get<std::string>(),
               Catch::Contains("unknown service kind 'mysql'"));
    server.handle_line(
        request(2, "service_stop", {{"tree", "service-db"}, {"hurry", true}}).dump());
    CHECK(sink.answer(2)["ok"] == false);  // nothing of that name runs

    // The name is free again; a command's tree is not stopped as a service.
    server.handle_line(shell_launch(3, "service-db", "exec sleep 30").dump());
    REQUIRE(sink.answer(3)["ok"] == true);
    server.handle_line(
        request(4, "service_stop", {{"tree", "service-db"}, {"hurry", true}}).dump());
    json not_a_service = sink.answer(4);
    REQUIRE(not_a_service["ok"] == false);
    CHECK_THAT(not_a_service["error"]["what"].get<std::string>(),
               Catch::Contains("is not a service"));
    server.tear_down();
}

TEST_CASE("tearing an agent down kills its trees and removes its session directory") {
    RecordingSink sink;
    AgentServer server(sink);
    server.handle_line(shell_launch(1, "daemon", "sleep 60 & exec sleep 60").dump());
    json launched = sink.answer(1);
    REQUIRE(launched["ok"] == true);
    const pid_t root = launched["result"]["pid"].get<pid_t>();
    const std::string dir = server.session_dir();
    CHECK(std::filesystem::exists(dir + "/logs/daemon.log"));
    server.tear_down();
    CHECK_FALSE(process_alive(root));
    CHECK_FALSE(std::filesystem::exists(dir));
    // Nothing new starts after that.
    server.handle_line(shell_launch(2, "late", "exec sleep 60").dump());
    CHECK(sink.answer(2)["ok"] == false);
}

TEST_CASE("a load whose host the agent cannot resolve fails its preparation") {
    RecordingSink sink;
    AgentServer server(sink);
    server.handle_line(prepare_line(1, load_to("http://no-such-host.invalid:8080/", 2)));
    json answer = sink.answer(1);
    CHECK(answer["ok"] == false);
    CHECK(answer["error"]["what"].get<std::string>().find(
              "cannot resolve host 'no-such-host.invalid'") == 0);
}

TEST_CASE("a load pinned to a CPU the agent's host lacks fails its preparation") {
    RecordingSink sink;
    AgentServer server(sink);
    LoadSettings settings = load_to("http://127.0.0.1:9/", 2);
    settings.cpus = {4095};
    server.handle_line(prepare_line(1, settings));
    json answer = sink.answer(1);
    CHECK(answer["ok"] == false);
    CHECK(answer["error"]["what"] ==
          "CPU 4095 of the load's CPU list 4095 is not available to benchctl");
}

TEST_CASE("a prepared load that is cancelled before its start is forgotten") {
    RecordingSink sink;
    AgentServer server(sink);
    server.handle_line(prepare_line(1, load_to("http://127.0.0.1:9/", 1)));
    REQUIRE(sink.answer(1)["ok"] == true);
    server.handle_line(request(2, "load_cancel", {{"load", "l1"}}).dump());
    REQUIRE(sink.answer(2)["ok"] == true);
    server.handle_line(request(3, "load_start", {{"load", "l1"}, {"start_at_ns", 0}}).dump());
    CHECK(sink.answer(3)["error"]["what"] == "no load named 'l1' is prepared on this agent");
}

TEST_CASE(
    "load_progress gives a running load's live figures, and refuses a load it does not know") {
    RecordingSink sink;
    AgentServer server(sink);
    LoadSettings settings = load_to("http://127.0.0.1:9/", 1);  // refused: every request fails
    settings.duration = 30s;
    server.handle_line(prepare_line(1, settings));
    REQUIRE(sink.answer(1)["ok"] == true);
    server.handle_line(request(2, "load_progress", {{"load", "l1"}}).dump());
    CHECK(sink.answer(2)["result"] == json{{"completed", 0}, {"failed", 0}, {"measuring", false}});
    server.handle_line(request(3, "load_start", {{"load", "l1"}, {"start_at_ns", 0}}).dump());
    json live;
    for (int id = 4; id < 400; ++id) {  // a few seconds at most
        server.handle_line(request(id, "load_progress", {{"load", "l1"}}).dump());
        live = sink.answer(id)["result"];
        if (live["failed"].get<std::uint64_t>() > 0)
            break;
        std::this_thread::sleep_for(10ms);
    }
    CHECK(live["failed"].get<std::uint64_t>() > 0);
    CHECK(live["completed"] == 0);
    CHECK(live["measuring"] == true);
    server.handle_line(request(1000, "load_cancel", {{"load", "l1"}}).dump());
    const json finished = sink.answer(3);
    REQUIRE(finished["ok"] == true);
    CHECK(finished["result"]["document"]["interrupted"] == true);
    // Each second's histogram comes beside the document, one per second of its timeline.
    CHECK(finished["result"]["timeline_latency"].size() ==
          finished["result"]["document"]["timeline"].size());
    server.handle_line(request(1001, "load_progress", {{"load", "l1"}}).dump());
    CHECK(sink.answer(1001)["error"]["what"] == "no load named 'l1' is prepared on this agent");
}

TEST_CASE("an agent whose input ends tears everything down and returns") {
    PipePair pipes;
    std::thread agent([&] { serve_agent(pipes.requests[0], pipes.messages[1]); });
    LineReader reader(pipes.messages[0]);
    std::string line;
    REQUIRE(reader.next(line, 5000ms) == LineReader::Status::line);
    CHECK(parse_message(line)->value("event", "") == "hello");
    std::string launch = shell_launch(1, "orphan", "exec sleep 60").dump() + "\n";
    REQUIRE(write(pipes.requests[1], launch.data(), launch.size()) > 0);
    REQUIRE(reader.next(line, 5000ms) == LineReader::Status::line);
    const pid_t root = (*parse_message(line))["result"]["pid"].get<pid_t>();
    CHECK(process_alive(root));
    // The connection drops: the coordinator's side closes.
    PipePair::close_fd(pipes.requests[1]);
    agent.join();
    CHECK_FALSE(process_alive(root));
}

TEST_CASE("an agent answers shutdown only once its trees are gone") {
    PipePair pipes;
    std::thread agent([&] { serve_agent(pipes.requests[0], pipes.messages[1]); });
    LineReader reader(pipes.messages[0]);
    std::string line;
    REQUIRE(reader.next(line, 5000ms) == LineReader::Status::line);
    std::string requests = shell_launch(1, "t", "exec sleep 60").dump() + "\n";
    REQUIRE(write(pipes.requests[1], requests.data(), requests.size()) > 0);
    REQUIRE(reader.next(line, 5000ms) == LineReader::Status::line);
    const pid_t root = (*parse_message(line))["result"]["pid"].get<pid_t>();
    std::string shutdown = request(2, "shutdown").dump() + "\n";
    REQUIRE(write(pipes.requests[1], shutdown.data(), shutdown.size()) > 0);
    REQUIRE(reader.next(line, 5000ms) == LineReader::Status::line);
    CHECK((*parse_message(line))["id"] == 2);
    CHECK_FALSE(process_alive(root));
    agent.join();
}
