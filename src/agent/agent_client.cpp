#include "agent/agent_client.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <benchctl/version.hpp>
#include <cerrno>
#include <nlohmann/json.hpp>

#include "agent/base64.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace {

AgentOutcome answered(nlohmann::json result) {
    AgentOutcome outcome;
    outcome.result = std::make_shared<nlohmann::json>(std::move(result));
    return outcome;
}

AgentOutcome failed(AgentError::Kind kind, std::string what, std::string where, std::string hint) {
    AgentOutcome outcome;
    outcome.error = kind;
    outcome.what = std::move(what);
    outcome.where = std::move(where);
    outcome.hint = std::move(hint);
    return outcome;
}

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::size_t k_diagnostics_tail = 8 * 1024;
constexpr std::size_t k_preamble_limit = 2 * 1024;
// How long the carrier gets to end by itself once the connection is over.
constexpr auto k_carrier_grace = 2000ms;

void keep_tail(std::string& text, std::size_t limit) {
    if (text.size() > limit)
        text.erase(0, text.size() - limit);
}

// The machine of a hello's kernel ("Linux 6.1.0 x86_64" -> "x86_64").
std::string machine_of(const AgentHello& hello) {
    const std::string& kernel = hello.host.kernel;
    return kernel.substr(kernel.rfind(' ') + 1);
}

}  // namespace

AgentClient::AgentClient(std::string name, std::unique_ptr<AgentChannel> channel,
                         std::chrono::milliseconds hello_timeout, std::string hint)
    : m_name(std::move(name)),
      m_hint(std::move(hint)),
      m_channel(std::move(channel)),
      m_reader(m_channel->from_agent()),
      m_sink(std::make_unique<FdMessageSink>(m_channel->to_agent())) {
    if (m_channel->diagnostics() >= 0)
        m_diagnostics_thread = std::thread([this] { drain_diagnostics(); });
    try {
        read_hello(hello_timeout);
    } catch (...) {
        close(0ms);
        throw;
    }
    m_reader_thread = std::thread([this] { read_messages(); });
}

AgentClient::~AgentClient() {
    close(k_carrier_grace);
}

std::string AgentClient::where() const {
    return fmt::format("host '{}'", m_name);
}

void AgentClient::drain_diagnostics() {
    const int fd = m_channel->diagnostics();
    while (!m_stop_diagnostics) {
        pollfd item{fd, POLLIN, 0};
        int ready = poll(&item, 1, 100);
        if (ready <= 0)
            continue;
        char buffer[4096];
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        std::lock_guard lock(m_mutex);
        m_diagnostics.append(buffer, static_cast<std::size_t>(n));
        keep_tail(m_diagnostics, k_diagnostics_tail);
    }
}

std::string AgentClient::diagnostics_tail() const {
    std::lock_guard lock(m_mutex);
    return last_lines(m_diagnostics + "\n" + m_preamble, 3);
}

void AgentClient::close_requests() {
    std::lock_guard lock(m_write_mutex);
    if (m_requests_closed)
        return;
    m_requests_closed = true;
    std::lock_guard channel(m_channel_mutex);
    m_channel->close_requests();
}

std::string AgentClient::finish_channel(std::chrono::milliseconds limit) {
    close_requests();
    std::string ended;
    {
        std::lock_guard channel(m_channel_mutex);
        ended = m_channel->finish(limit);
    }
    // The carrier is gone; what it wrote last is in the pipe already.
    std::this_thread::sleep_for(ended.empty() ? 0ms : 20ms);
    return ended;
}

void AgentClient::fail_before_hello(const std::string& what) {
    std::string ended = finish_channel(k_carrier_grace);
    m_stop_diagnostics = true;
    if (m_diagnostics_thread.joinable())
        m_diagnostics_thread.join();
    std::string tail = diagnostics_tail();
    std::string detail = ended;
    if (!tail.empty())
        detail += (detail.empty() ? "" : ": ") + tail;
    throw AgentError(AgentError::Kind::unreachable,
                     fmt::format("cannot reach the agent on host '{}': {}{}", m_name, what,
                                 detail.empty() ? "" : " (" + detail + ")"),
                     where(), m_hint);
}

void AgentClient::read_hello(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string line;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        LineReader::Status status = m_reader.next(line, std::max(left, 0ms));
        if (status == LineReader::Status::timeout)
            fail_before_hello(fmt::format("no hello within {} s", timeout.count() / 1000));
        if (status != LineReader::Status::line)
            fail_before_hello("the connection ended before the agent said hello");
        std::optional<json> message = parse_message(line);
        const std::string event = message ? message->value("event", std::string()) : std::string();
        if (event == "absent") {
            AgentError error(AgentError::Kind::absent,
                             fmt::format("benchctl is not installed on host '{}'", m_name), where(),
                             m_hint);
            error.set_machine(message->value("machine", std::string()));
            finish_channel(k_carrier_grace);
            throw error;
        }
        if (event == "hello") {
            m_hello = hello_from_json(JsonField(*message, where(), "", "hello"));
            break;
        }
        std::lock_guard lock(m_mutex);
        if (m_preamble.size() < k_preamble_limit)
            m_preamble += line.substr(0, 200) + "\n";
    }
    check_protocol();
}

void AgentClient::check_protocol() {
    if (m_hello.protocol != k_agent_protocol_version) {
        finish_channel(k_carrier_grace);
        AgentError error(
            AgentError::Kind::protocol,
            fmt::format("host '{}' runs benchctl {} ({}), which speaks agent protocol {}; this "
                        "benchctl {} ({}) speaks protocol {}",
                        m_name, m_hello.benchctl_version, m_hello.git_revision, m_hello.protocol,
                        k_version, k_git_revision, k_agent_protocol_version),
            where(),
            "install the same benchctl on both hosts, or let benchctl copy its own binary there "
            "(--copy-binary)");
        error.set_machine(machine_of(m_hello));
        throw error;
    }
}

void AgentClient::read_messages() {
    std::string line;
    while (m_reader.next(line) == LineReader::Status::line) {
        if (std::optional<json> message = parse_message(line)) {
            deliver(*message);
        } else {
            std::lock_guard lock(m_mutex);
            m_diagnostics += "agent wrote a line that is not JSON: " + line.substr(0, 200) + "\n";
            keep_tail(m_diagnostics, k_diagnostics_tail);
        }
    }
    connection_lost();
}

void AgentClient::deliver(const json& message) {
    if (message.contains("id"))
        deliver_answer(message);
    else if (message.value("event", std::string()) == "log")
        deliver_log(message);
}

void AgentClient::deliver_answer(const json& message) {
    if (!message["id"].is_number_unsigned())
        return;
    const std::uint64_t id = message["id"].get<std::uint64_t>();
    std::unique_lock lock(m_mutex);
    auto found = m_pending.find(id);
    if (found == m_pending.end())
        return;
    std::promise<AgentOutcome> promise = std::move(found->second);
    const std::string op = m_pending_ops[id];
    m_pending.erase(found);
    m_pending_ops.erase(id);
    lock.unlock();
    if (message.value("ok", false)) {
        promise.set_value(
            answered(message.contains("result") ? message["result"] : json::object()));
        return;
    }
    UserError error("the agent's answer had no error", "", "");
    try {
        error = error_from_json(JsonField(message, where(), "", "answer")["error"]);
    } catch (const UserError& unreadable) {
        error = unreadable;
    }
    const std::string located = error.where().empty() ? where() : where() + ", " + error.where();
    promise.set_value(failed(AgentError::Kind::refused, fmt::format("{} ({})", error.what(), op),
                             located, error.hint()));
}

void AgentClient::deliver_log(const json& message) {
    const std::string tree = message.value("tree", std::string());
    std::optional<std::string> bytes = decode_base64(message.value("data", std::string()));
    LogSink sink;
    {
        std::lock_guard lock(m_mutex);
        auto found = m_log_sinks.find(tree);
        if (found != m_log_sinks.end())
            sink = found->second;
    }
    if (sink && bytes)
        sink(message.value("offset", std::uint64_t{0}), *bytes);
}

void AgentClient::connection_lost() {
    std::string ended = finish_channel(k_carrier_grace);
    m_stop_diagnostics = true;
    if (m_diagnostics_thread.joinable())
        m_diagnostics_thread.join();
    std::string tail = diagnostics_tail();
    std::map<std::uint64_t, std::promise<AgentOutcome>> pending;
    std::string reason;
    std::string hint;
    {
        std::lock_guard lock(m_mutex);
        std::string detail = ended;
        if (!tail.empty())
            detail += (detail.empty() ? "" : ": ") + tail;
        m_lost = true;
        m_lost_reason = fmt::format("the connection to the agent on host '{}' dropped{}", m_name,
                                    detail.empty() ? "" : " (" + detail + ")");
        reason = m_lost_reason;
        hint = m_closed ? "" : m_hint;
        pending.swap(m_pending);
        m_pending_ops.clear();
    }
    for (auto& [id, promise] : pending) {
        promise.set_value(failed(AgentError::Kind::lost, reason, where(), hint));
    }
}

json AgentAnswer::get() {
    AgentOutcome outcome = m_future.get();
    if (outcome.error)
        throw AgentError(*outcome.error, outcome.what, outcome.where, outcome.hint);
    return std::move(*outcome.result);
}

AgentAnswer AgentClient::request(const std::string& op, const json& params) {
    json message = params.is_null() ? json::object() : params;
    std::promise<AgentOutcome> promise;
    AgentAnswer future(promise.get_future());
    {
        std::lock_guard lock(m_mutex);
        if (m_lost) {
            promise.set_value(failed(AgentError::Kind::lost, m_lost_reason, where(), m_hint));
            return future;
        }
        std::uint64_t id = m_next_id++;
        message["id"] = id;
        message["op"] = op;
        m_pending.emplace(id, std::move(promise));
        m_pending_ops.emplace(id, op);
    }
    std::lock_guard lock(m_write_mutex);
    // A failed write needs nothing here: the agent is gone, so the reader sees the end of its
    // stream and fails every pending request with the reason.
    if (!m_requests_closed)
        m_sink->write(message);
    return future;
}

json AgentClient::call(const std::string& op, const json& params,
                       std::chrono::milliseconds timeout) {
    AgentAnswer answer = request(op, params);
    if (answer.wait_for(timeout) != std::future_status::ready) {
        throw AgentError(AgentError::Kind::timeout,
                         fmt::format("the agent did not answer '{}' within {} s", op,
                                     std::chrono::duration<double>(timeout).count()),
                         where(), "the host may be overloaded, or the network down");
    }
    return answer.get();
}

void AgentClient::set_log_sink(const std::string& tree, LogSink sink) {
    std::lock_guard lock(m_mutex);
    if (sink)
        m_log_sinks[tree] = std::move(sink);
    else
        m_log_sinks.erase(tree);
}

bool AgentClient::connected() const {
    std::lock_guard lock(m_mutex);
    return !m_lost;
}

std::string AgentClient::lost_reason() const {
    std::lock_guard lock(m_mutex);
    return m_lost_reason;
}

void AgentClient::close(std::chrono::milliseconds limit) {
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return;
        m_closed = true;
    }
    if (m_reader_thread.joinable()) {
        AgentAnswer answer = request("shutdown", json::object());
        answer.wait_for(limit);
        close_requests();
        // The agent has ended (or its carrier is killed now), so the reader sees the end.
        finish_channel(limit);
        m_reader_thread.join();
    }
    finish_channel(0ms);
    m_stop_diagnostics = true;
    if (m_diagnostics_thread.joinable())
        m_diagnostics_thread.join();
}

}  // namespace benchctl
