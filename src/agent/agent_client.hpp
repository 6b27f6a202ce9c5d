#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "agent/agent_channel.hpp"
#include "agent/agent_protocol.hpp"
#include "agent/message_stream.hpp"
#include "util/error.hpp"

namespace benchctl {

// An agent failed: it could not be reached, speaks another protocol, answered a request with an
// error, or its connection dropped. A UserError, so that a run stops with its message where the
// agent is needed before the first cell; where() names the host ("host 'client1'").
class AgentError : public UserError {
  public:
    enum class Kind {
        unreachable,  // the carrier ended (or said nothing) before the agent's hello
        absent,       // the host has no benchctl (the remote command said so)
        protocol,     // the agent speaks another protocol version
        refused,      // the agent answered a request with an error
        lost,         // the connection dropped after the hello
        timeout,      // no answer in time
    };
    AgentError(Kind kind, std::string what, std::string where, std::string hint)
        : UserError(std::move(what), std::move(where), std::move(hint)), m_kind(kind) {}
    Kind kind() const { return m_kind; }
    // For Kind::absent and Kind::protocol: the host's machine (uname -m), when it said.
    const std::string& machine() const { return m_machine; }
    void set_machine(std::string machine) { m_machine = std::move(machine); }

  private:
    Kind m_kind;
    std::string m_machine;
};

// What the reader thread found for one request: the result, or the parts of an AgentError.
struct AgentOutcome {
    std::shared_ptr<nlohmann::json> result;  // the answer's result; null when it failed
    std::optional<AgentError::Kind> error;   // set: the request failed
    std::string what, where, hint;
};

// The answer to one request. A failure is rebuilt as an AgentError in the thread that calls
// get(): an exception object is never shared between threads (ThreadSanitizer cannot see
// libstdc++'s reference count of an exception_ptr and reports the object's destruction as a
// race).
class AgentAnswer {
  public:
    AgentAnswer() = default;
    explicit AgentAnswer(std::future<AgentOutcome> future) : m_future(std::move(future)) {}
    // As std::future::wait_for.
    std::future_status wait_for(std::chrono::milliseconds timeout) const {
        return m_future.wait_for(timeout);
    }
    // Waits for the answer: its result, or throws the AgentError the request ended with.
    nlohmann::json get();

  private:
    std::future<AgentOutcome> m_future;
};

// The coordinator's end of one agent connection (docs/hosts.md): it reads the agent's hello and
// checks its protocol version, then sends requests and delivers their answers, each to its
// caller, while one thread reads everything the agent says (answers in any order, "log" events
// to the sinks registered per tree). Thread-safe.
class AgentClient {
  public:
    // Takes `channel` and waits up to `hello_timeout` for the hello. `name` names the host in
    // messages; `hint` is what to tell the user when the agent cannot be reached (how to check
    // the transport by hand). Throws AgentError: unreachable (with the carrier's last stderr
    // lines), absent, protocol (naming both versions).
    AgentClient(std::string name, std::unique_ptr<AgentChannel> channel,
                std::chrono::milliseconds hello_timeout, std::string hint);
    // close() with a short limit.
    ~AgentClient();
    AgentClient(const AgentClient&) = delete;
    AgentClient& operator=(const AgentClient&) = delete;

    const std::string& name() const { return m_name; }
    const AgentHello& hello() const { return m_hello; }
    // "host 'name'", the where of every error about this agent.
    std::string where() const;

    // Sends request `op` with `params` (an object; "id" and "op" are added). The future holds the
    // answer's result, or an AgentError: refused (the agent's what/where/hint, prefixed with the
    // host) or lost. Never blocks on the agent.
    // null params are an empty object.
    AgentAnswer request(const std::string& op, const nlohmann::json& params);
    // request(), then waits up to `timeout` for the answer. Throws AgentError (timeout too).
    nlohmann::json call(const std::string& op, const nlohmann::json& params,
                        std::chrono::milliseconds timeout = k_default_call_timeout);

    static constexpr std::chrono::milliseconds k_default_call_timeout{30'000};

    // Receives the bytes of `tree`'s log as they arrive (on the reader thread), each with its
    // offset in the log; an empty function removes the sink. Bytes of a tree without a sink are
    // dropped.
    using LogSink = std::function<void(std::uint64_t offset, std::string_view bytes)>;
    void set_log_sink(const std::string& tree, LogSink sink);

    // Whether the connection is still up; why not when it is not.
    bool connected() const;
    std::string lost_reason() const;

    // Asks the agent to shut down (it tears everything down before it answers), waits up to
    // `limit` for the answer, closes the connection and reaps the carrier (killed if it has not
    // ended by then). Idempotent; never throws.
    void close(std::chrono::milliseconds limit = std::chrono::seconds(10));

  private:
    void read_hello(std::chrono::milliseconds timeout);
    void read_messages();
    void drain_diagnostics();
    void check_protocol();
    void deliver(const nlohmann::json& message);
    void deliver_answer(const nlohmann::json& message);
    void deliver_log(const nlohmann::json& message);
    void connection_lost();
    void close_requests();
    std::string finish_channel(std::chrono::milliseconds limit);
    std::string diagnostics_tail() const;
    [[noreturn]] void fail_before_hello(const std::string& what);

    std::string m_name;
    std::string m_hint;
    std::unique_ptr<AgentChannel> m_channel;
    LineReader m_reader;
    std::unique_ptr<FdMessageSink> m_sink;
    AgentHello m_hello;
    std::thread m_reader_thread;
    std::thread m_diagnostics_thread;

    std::mutex m_write_mutex;  // one writer of requests; closing the request side
    bool m_requests_closed = false;
    std::mutex m_channel_mutex;  // the channel's close and finish
    std::atomic<bool> m_stop_diagnostics{false};

    mutable std::mutex m_mutex;  // guards everything below
    std::uint64_t m_next_id = 1;
    std::map<std::uint64_t, std::promise<AgentOutcome>> m_pending;
    std::map<std::uint64_t, std::string> m_pending_ops;
    std::map<std::string, LogSink> m_log_sinks;
    std::string m_diagnostics;  // the carrier's stderr, its last 8 KiB
    std::string m_preamble;     // lines before the hello that were not it
    bool m_lost = false;
    std::string m_lost_reason;
    bool m_closed = false;
};

}  // namespace benchctl
