#pragma once

// Helpers shared by the agent stage's tests: an agent served in this process over pipes and a
// scripted fake agent (a scratch directory and waiting for a condition come from
// tests/unit/support).

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/agent_channel.hpp"
#include "agent/agent_protocol.hpp"
#include "agent/agent_server.hpp"
#include "agent/message_stream.hpp"
#include "eventually.hpp"
#include "scratch_dir.hpp"

namespace benchctl::testing {

// Whether a process with this pid exists and is not a zombie.
inline bool process_alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto paren = text.rfind(')');
    return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z';
}

// Two pipes: requests (coordinator -> agent) and messages (agent -> coordinator).
struct PipePair {
    int requests[2] = {-1, -1};
    int messages[2] = {-1, -1};
    PipePair() {
        if (pipe2(requests, O_CLOEXEC) != 0 || pipe2(messages, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe2 failed");
    }
    // The coordinator's end, which the channel then owns.
    std::unique_ptr<AgentChannel> coordinator_channel() {
        auto channel = std::make_unique<FdChannel>(requests[1], messages[0]);
        requests[1] = messages[0] = -1;
        return channel;
    }
    static void close_fd(int& fd) {
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    ~PipePair() {
        for (int* fd : {&requests[0], &requests[1], &messages[0], &messages[1]})
            close_fd(*fd);
    }
};

// A real agent (serve_agent) served on a thread of this process over pipes: the coordinator
// side gets its channel. Ends when the coordinator closes its side or asks for a shutdown.
class InProcessAgent {
  public:
    InProcessAgent() {
        m_thread = std::thread([this] {
            serve_agent(m_pipes.requests[0], m_pipes.messages[1]);
            // The agent's end closes, as when its process exits.
            PipePair::close_fd(m_pipes.messages[1]);
            PipePair::close_fd(m_pipes.requests[0]);
            m_done = true;
        });
    }
    ~InProcessAgent() {
        PipePair::close_fd(m_pipes.requests[1]);  // when the channel was never taken
        if (m_thread.joinable())
            m_thread.join();
    }
    std::unique_ptr<AgentChannel> channel() { return m_pipes.coordinator_channel(); }
    bool done() const { return m_done; }
    void join() {
        if (m_thread.joinable())
            m_thread.join();
    }

  private:
    PipePair m_pipes;
    std::thread m_thread;
    std::atomic<bool> m_done{false};
};

// A scripted agent: writes `hello_lines` first, then answers each request with what `handler`
// returns (nothing: no answer). Records the ops it received. close_connection() drops it.
class FakeAgent {
  public:
    using Handler = std::function<std::optional<nlohmann::json>(const nlohmann::json& request,
                                                                FakeAgent& agent)>;

    explicit FakeAgent(std::vector<std::string> hello_lines, Handler handler = {})
        : m_handler(std::move(handler)) {
        for (const std::string& line : hello_lines) {
            std::string with_newline = line + "\n";
            (void)!write(m_pipes.messages[1], with_newline.data(), with_newline.size());
        }
        m_thread = std::thread([this] { serve(); });
    }
    ~FakeAgent() {
        close_connection();
        PipePair::close_fd(m_pipes.requests[1]);
        if (m_thread.joinable())
            m_thread.join();
    }

    // A hello line of protocol `version`.
    static std::string hello(unsigned version = k_agent_protocol_version) {
        AgentHello hello = local_hello();
        hello.protocol = version;
        return hello_to_json(hello).dump();
    }
    // The answer to `request` with `result`.
    static nlohmann::json ok(const nlohmann::json& request,
                             nlohmann::json result = nlohmann::json::object()) {
        return {{"id", request["id"]}, {"ok", true}, {"result", std::move(result)}};
    }

    std::unique_ptr<AgentChannel> channel() { return m_pipes.coordinator_channel(); }
    void send(const nlohmann::json& message) {
        std::lock_guard lock(m_mutex);
        if (m_pipes.messages[1] >= 0)
            FdMessageSink(m_pipes.messages[1]).write(message);
    }
    // Closes the agent's side, as when its process dies.
    void close_connection() {
        std::lock_guard lock(m_mutex);
        PipePair::close_fd(m_pipes.messages[1]);
    }
    std::vector<std::string> ops() const {
        std::lock_guard lock(m_mutex);
        return m_ops;
    }

  private:
    void serve() {
        LineReader reader(m_pipes.requests[0]);
        std::string line;
        while (reader.next(line) == LineReader::Status::line) {
            auto request = parse_message(line);
            if (!request)
                continue;
            {
                std::lock_guard lock(m_mutex);
                m_ops.push_back((*request)["op"].get<std::string>());
            }
            std::optional<nlohmann::json> answer;
            if ((*request)["op"] == "shutdown")
                answer = ok(*request);
            else if (m_handler)
                answer = m_handler(*request, *this);
            if (answer)
                send(*answer);
        }
        PipePair::close_fd(m_pipes.requests[0]);
        close_connection();
    }

    PipePair m_pipes;
    Handler m_handler;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_ops;
};

}  // namespace benchctl::testing
