#include "services/protocol_probes.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using namespace std::string_literals;
using benchctl::judge_postgres_reply;
using benchctl::judge_redis_reply;
using benchctl::postgres_startup_message;
using benchctl::ProbeResult;

namespace {

// A server on a free port of 127.0.0.1 that reads one request and answers `reply`.
class OneReplyServer {
  public:
    explicit OneReplyServer(std::string reply) : m_reply(std::move(reply)) {
        m_listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        REQUIRE(bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(listen(m_listener, 1) == 0);
        getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~OneReplyServer() {
        finish();
        close(m_listener);
    }
    std::uint16_t port() const { return m_port; }
    // Waits for the exchange to end; returns the request the server read.
    const std::string& finish() {
        if (m_thread.joinable())
            m_thread.join();
        return m_request;
    }

  private:
    void serve() {
        int conn = accept(m_listener, nullptr, nullptr);
        char buffer[512];
        ssize_t n = recv(conn, buffer, sizeof buffer, 0);
        if (n > 0)
            m_request.assign(buffer, static_cast<std::size_t>(n));
        send(conn, m_reply.data(), m_reply.size(), MSG_NOSIGNAL);
        close(conn);
    }
    std::string m_reply;
    std::string m_request;
    int m_listener = -1;
    std::uint16_t m_port = 0;
    std::thread m_thread;
};

// An ErrorResponse with severity, SQLSTATE and message fields.
std::string error_response(const std::string& message) {
    std::string body = "SFATAL\0"s + "C57P03\0"s + "M" + message + '\0' + '\0';
    std::uint32_t length = static_cast<std::uint32_t>(body.size() + 4);
    std::string out = "E";
    for (int shift = 24; shift >= 0; shift -= 8)
        out += static_cast<char>((length >> shift) & 0xff);
    return out + body;
}

const std::string k_authentication_ok = "R\0\0\0\x08\0\0\0\0"s;

}  // namespace

TEST_CASE("a startup message is protocol 3.0 with the user and the database", "[services]") {
    std::string message = postgres_startup_message("benchctl", "postgres");
    std::string body = "\0\x03\0\0"s + "user\0benchctl\0database\0postgres\0\0"s;
    CHECK(message.size() == body.size() + 4);
    CHECK(message.substr(0, 4) == "\0\0\0\x29"s);  // 41 bytes
    CHECK(message.substr(4) == body);
}

TEST_CASE("postgres is ready once it asks for authentication, not while it starts up",
          "[services]") {
    CHECK(judge_postgres_reply("") == std::nullopt);
    std::optional<ProbeResult> ready = judge_postgres_reply(k_authentication_ok);
    REQUIRE(ready);
    CHECK(ready->ok);
    std::string starting = error_response("the database system is starting up");
    CHECK(judge_postgres_reply(starting.substr(0, 3)) == std::nullopt);
    CHECK(judge_postgres_reply(starting.substr(0, starting.size() - 1)) == std::nullopt);
    std::optional<ProbeResult> not_ready = judge_postgres_reply(starting);
    REQUIRE(not_ready);
    CHECK_FALSE(not_ready->ok);
    CHECK(not_ready->detail == "the database system is starting up");
    std::optional<ProbeResult> http = judge_postgres_reply("HTTP/1.1 400 Bad Request\r\n");
    REQUIRE(http);
    CHECK_FALSE(http->ok);
    CHECK(http->detail == "unexpected reply type 'H'");
}

TEST_CASE("redis is ready when PING answers PONG, not while it loads", "[services]") {
    CHECK(judge_redis_reply("+PON") == std::nullopt);
    CHECK(judge_redis_reply("+PONG\r\n")->ok);
    std::optional<ProbeResult> loading =
        judge_redis_reply("-LOADING Redis is loading the dataset in memory\r\n");
    REQUIRE(loading);
    CHECK_FALSE(loading->ok);
    CHECK(loading->detail == "PING answered '-LOADING Redis is loading the dataset in memory'");
}

TEST_CASE("the probes exchange their messages with a server on 127.0.0.1", "[services]") {
    OneReplyServer postgres(k_authentication_ok);
    CHECK(benchctl::probe_postgres(postgres.port(), "benchctl", 2000ms).ok);
    CHECK(postgres.finish() == postgres_startup_message("benchctl", "postgres"));

    OneReplyServer redis("+PONG\r\n");
    CHECK(benchctl::probe_redis(redis.port(), 2000ms).ok);
    CHECK(redis.finish() == "PING\r\n");

    OneReplyServer silent("");
    ProbeResult closed = benchctl::probe_redis(silent.port(), 2000ms);
    CHECK_FALSE(closed.ok);
    CHECK(closed.detail == "no reply");
}
