#include "agent/agent_client.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "agent/base64.hpp"
#include "agent_test_support.hpp"

using namespace benchctl;
using namespace benchctl::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::unique_ptr<AgentClient> connect_to(FakeAgent& agent,
                                        std::chrono::milliseconds hello = 2000ms) {
    return std::make_unique<AgentClient>("b", agent.channel(), hello, "check the transport");
}

}  // namespace

TEST_CASE("a client skips what a login prints before the hello and reads the agent's host") {
    FakeAgent agent({"Welcome to host b!", "", FakeAgent::hello()});
    auto client = connect_to(agent);
    CHECK(client->hello().protocol == k_agent_protocol_version);
    CHECK(client->hello().host.cores > 0);
    CHECK(client->where() == "host 'b'");
}

TEST_CASE("an agent of another protocol version is refused, naming both versions") {
    FakeAgent agent({FakeAgent::hello(k_agent_protocol_version + 1)});
    try {
        connect_to(agent);
        FAIL("connected to an agent of another protocol");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::protocol);
        const std::string what = error.what();
        CHECK(what.find(fmt::format("speaks agent protocol {};", k_agent_protocol_version + 1)) !=
              std::string::npos);
        CHECK(what.find(fmt::format("speaks protocol {}", k_agent_protocol_version)) !=
              std::string::npos);
        CHECK(error.where() == "host 'b'");
        CHECK(error.hint().find("--copy-binary") != std::string::npos);
        CHECK_FALSE(error.machine().empty());
    }
}

TEST_CASE("a host without benchctl is reported as such, with its machine") {
    FakeAgent agent({R"({"event":"absent","machine":"aarch64"})"});
    try {
        connect_to(agent);
        FAIL("connected to a host without benchctl");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::absent);
        CHECK(std::string(error.what()) == "benchctl is not installed on host 'b'");
        CHECK(error.machine() == "aarch64");
    }
}

TEST_CASE("a connection that ends before the hello is unreachable, with the carrier's words") {
    FakeAgent agent({"ssh: connect to host 10.9.9.9 port 22: No route to host"});
    agent.close_connection();
    try {
        connect_to(agent);
        FAIL("connected to nothing");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::unreachable);
        const std::string what = error.what();
        CHECK(what.find("cannot reach the agent on host 'b'") == 0);
        CHECK(what.find("No route to host") != std::string::npos);
        CHECK(error.hint() == "check the transport");
    }
}

TEST_CASE("a client that hears no hello gives up after its timeout") {
    FakeAgent agent({});
    auto started = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(connect_to(agent, 200ms), AgentError);
    CHECK(std::chrono::steady_clock::now() - started < 3s);
}

TEST_CASE("answers reach their callers in any order, and errors become AgentErrors") {
    // The fake answers "slow" only after it has answered "fast".
    std::optional<json> held;
    FakeAgent agent(
        {FakeAgent::hello()}, [&](const json& request, FakeAgent& self) -> std::optional<json> {
            if (request["op"] == "slow") {
                held = request;
                return std::nullopt;
            }
            if (request["op"] == "fast") {
                self.send(FakeAgent::ok(request, {{"which", "fast"}}));
                return FakeAgent::ok(*held, {{"which", "slow"}});
            }
            return json{
                {"id", request["id"]},
                {"ok", false},
                {"error", {{"what", "no tree named 'x'"}, {"where", ""}, {"hint", "launch it"}}}};
        });
    auto client = connect_to(agent);
    auto slow = client->request("slow", json::object());
    auto fast = client->request("fast", json::object());
    CHECK(fast.get()["which"] == "fast");
    CHECK(slow.get()["which"] == "slow");
    try {
        client->call("poll", {{"tree", "x"}});
        FAIL("an error answer was taken for a result");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::refused);
        CHECK(std::string(error.what()) == "no tree named 'x' (poll)");
        CHECK(error.where() == "host 'b'");
        CHECK(error.hint() == "launch it");
    }
}

TEST_CASE("a dropped connection fails every pending request with the reason") {
    FakeAgent agent({FakeAgent::hello()}, [](const json&, FakeAgent& self) -> std::optional<json> {
        self.close_connection();  // the agent dies before it answers
        return std::nullopt;
    });
    auto client = connect_to(agent);
    try {
        client->call("load_start", {{"load", "l"}});
        FAIL("a lost connection answered");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::lost);
        CHECK(std::string(error.what()).find("the connection to the agent on host 'b' dropped") ==
              0);
    }
    CHECK_FALSE(client->connected());
    CHECK_THROWS_AS(client->call("clock", json::object()), AgentError);
}

TEST_CASE("a request without an answer in time is a timeout") {
    FakeAgent agent({FakeAgent::hello()}, [](const json&, FakeAgent&) { return std::nullopt; });
    auto client = connect_to(agent);
    try {
        client->call("clock", json::object(), 100ms);
        FAIL("no answer was taken for one");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::timeout);
    }
}

TEST_CASE("log events reach the tree's sink, and only its own") {
    FakeAgent agent({FakeAgent::hello()},
                    [](const json& request, FakeAgent& self) -> std::optional<json> {
                        self.send({{"event", "log"},
                                   {"tree", "web"},
                                   {"offset", 0},
                                   {"data", encode_base64("GET / 200\n")}});
                        self.send({{"event", "log"},
                                   {"tree", "db"},
                                   {"offset", 0},
                                   {"data", encode_base64("ready\n")}});
                        self.send({{"event", "log"},
                                   {"tree", "web"},
                                   {"offset", 10},
                                   {"data", encode_base64(std::string("\0\xff", 2))}});
                        return FakeAgent::ok(request);
                    });
    auto client = connect_to(agent);
    std::string web;
    client->set_log_sink("web", [&](std::uint64_t, std::string_view bytes) { web += bytes; });
    client->call("poll", json::object());  // every event before the answer has been delivered
    CHECK(web == std::string("GET / 200\n\0\xff", 12));
}

TEST_CASE("a client talks to a real agent and closing it ends the agent") {
    InProcessAgent agent;
    AgentClient client("local", agent.channel(), 5000ms, "");
    json clock = client.call("clock", json::object());
    CHECK(clock["now_ns"].get<std::uint64_t>() > 0);
    client.close();
    agent.join();
    CHECK(agent.done());
    CHECK_FALSE(client.connected());
}
