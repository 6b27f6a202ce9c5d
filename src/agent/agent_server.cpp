#include "agent/agent_server.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "agent/agent_protocol.hpp"
#include "launch/process_tree.hpp"
#include "launch/readiness.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* k_request_hint = "the coordinator sent a request this agent cannot read";
// How often the session loop looks for a terminating signal while no line arrives.
constexpr auto k_signal_check = 100ms;

std::string make_session_dir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/benchctl-agent-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
        throw UserError(fmt::format("cannot create the agent's session directory '{}': {}", pattern,
                                    std::strerror(errno)),
                        "", "set TMPDIR to a writable directory on the agent's host");
    }
    std::error_code ignored;
    std::filesystem::create_directory(pattern + "/logs", ignored);
    return pattern;
}

json error_answer(const json& id, const UserError& error) {
    return {{"id", id}, {"ok", false}, {"error", error_to_json(error)}};
}

}  // namespace

AgentServer::AgentServer(MessageSink& sink) : m_sink(sink), m_session_dir(make_session_dir()) {
    m_trees = std::make_unique<AgentTrees>(m_session_dir + "/logs", m_sink, m_session_dir);
}

AgentServer::~AgentServer() {
    tear_down();
}

void AgentServer::announce() {
    m_sink.write(hello_to_json(local_hello()));
}

void AgentServer::answer(const json& id, const json& request, const Handler& handler) {
    try {
        JsonField field(request, "", k_request_hint, "request");
        m_sink.write({{"id", id}, {"ok", true}, {"result", handler(field)}});
    } catch (const UserError& error) {
        m_sink.write(error_answer(id, error));
    } catch (const std::exception& error) {
        m_sink.write(error_answer(
            id, UserError(fmt::format("internal error in benchctl agent: {}", error.what()), "",
                          "please report it")));
    }
}

void AgentServer::join_finished_workers() {
    std::lock_guard lock(m_workers_mutex);
    std::erase_if(m_workers, [](Worker& worker) {
        if (!*worker.done)
            return false;
        worker.thread.join();
        return true;
    });
}

void AgentServer::answer_on_worker(const json& id, json request, Handler handler) {
    join_finished_workers();
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::lock_guard lock(m_workers_mutex);
    try {
        m_workers.push_back({std::thread([this, id, request = std::move(request),
                                          handler = std::move(handler), done] {
                                 answer(id, request, handler);
                                 *done = true;
                             }),
                             done});
    } catch (const std::system_error& error) {
        m_sink.write(error_answer(
            id, UserError(fmt::format("the agent cannot start a thread: {}", error.what()), "",
                          "raise the limit on processes on the agent's host (ulimit -u)")));
    }
}

bool AgentServer::dispatch(const json& id, const std::string& op, json request) {
    const auto inline_op = [&](const Handler& handler) { answer(id, request, handler); };
    const auto worker_op = [&](Handler handler) {
        answer_on_worker(id, std::move(request), std::move(handler));
    };
    if (op == "clock") {
        inline_op([](const JsonField&) { return json{{"now_ns", monotonic_ns()}}; });
    } else if (op == "hello") {
        inline_op([](const JsonField&) { return hello_to_json(local_hello()); });
    } else if (op == "free_port") {
        inline_op([](const JsonField&) { return json{{"port", find_free_port()}}; });
    } else if (op == "poll") {
        inline_op([this](const JsonField& r) { return m_trees->poll(r); });
    } else if (op == "sample_start") {
        inline_op([this](const JsonField& r) { return m_trees->sample_start(r); });
    } else if (op == "sample_finish") {
        inline_op([this](const JsonField& r) { return m_trees->sample_finish(r); });
    } else if (op == "load_progress") {
        inline_op([this](const JsonField& r) { return m_loads.progress(r); });
    } else if (op == "load_cancel") {
        inline_op([this](const JsonField& r) { return m_loads.cancel(r); });
    } else if (op == "launch") {
        worker_op([this](const JsonField& r) { return m_trees->launch(r); });
    } else if (op == "stop") {
        worker_op([this](const JsonField& r) { return m_trees->stop(r); });
    } else if (op == "service_start") {
        worker_op([this](const JsonField& r) { return m_trees->service_start(r); });
    } else if (op == "service_stop") {
        worker_op([this](const JsonField& r) { return m_trees->service_stop(r); });
    } else if (op == "load_prepare") {
        worker_op([this](const JsonField& r) { return m_loads.prepare(r); });
    } else if (op == "load_start") {
        worker_op([this](const JsonField& r) { return m_loads.start(r); });
    } else if (op == "shutdown") {
        tear_down();
        m_sink.write({{"id", id}, {"ok", true}, {"result", json::object()}});
        return false;
    } else {
        m_sink.write(error_answer(
            id, UserError(fmt::format("unknown request '{}'", op), "",
                          fmt::format("this agent speaks protocol {}; see docs/hosts.md",
                                      k_agent_protocol_version))));
    }
    return true;
}

bool AgentServer::handle_line(const std::string& line) {
    std::optional<json> request = parse_message(line);
    if (!request || !request->contains("id") || !request->contains("op") ||
        !(*request)["op"].is_string()) {
        m_sink.write({{"event", "protocol_error"},
                      {"what", "a request must be a JSON object with \"id\" and \"op\""},
                      {"line", line.substr(0, 200)}});
        return true;
    }
    json id = (*request)["id"];
    if (m_torn_down) {
        m_sink.write(error_answer(id, UserError("the agent is shutting down", "", "")));
        return true;
    }
    std::string op = (*request)["op"].get<std::string>();
    return dispatch(id, op, std::move(*request));
}

void AgentServer::tear_down() {
    if (m_torn_down)
        return;
    m_torn_down = true;
    m_loads.cancel_all();
    m_trees->tear_down();
    std::vector<Worker> workers;
    {
        std::lock_guard lock(m_workers_mutex);
        workers.swap(m_workers);
    }
    for (Worker& worker : workers)
        worker.thread.join();
    std::error_code ignored;
    std::filesystem::remove_all(m_session_dir, ignored);
}

namespace {

// Blocks the signals that end a session in this thread and every thread it creates afterwards,
// so that they wait for the session loop (sigtimedwait) instead of killing the agent before it
// tears its trees down.
sigset_t block_ending_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

bool ending_signal_pending(const sigset_t& set) {
    timespec zero{};
    return sigtimedwait(&set, nullptr, &zero) > 0;
}

// A private descriptor for the messages; descriptor 1 then goes to stderr, so that a stray
// print of a library cannot corrupt the stream.
int private_output(int out_fd) {
    int private_fd = fcntl(out_fd, F_DUPFD_CLOEXEC, 3);
    if (private_fd < 0)
        return out_fd;
    if (out_fd == STDOUT_FILENO)
        dup2(STDERR_FILENO, STDOUT_FILENO);
    return private_fd;
}

}  // namespace

int serve_agent(int in_fd, int out_fd) {
    signal(SIGPIPE, SIG_IGN);
    const sigset_t ending = block_ending_signals();
    become_child_subreaper();
    const int messages_fd = private_output(out_fd);
    FdMessageSink sink(messages_fd);
    AgentServer server(sink);
    server.announce();
    LineReader reader(in_fd);
    std::string line;
    while (!sink.broken() && !ending_signal_pending(ending)) {
        LineReader::Status status = reader.next(line, k_signal_check);
        if (status == LineReader::Status::timeout)
            continue;
        if (status != LineReader::Status::line)
            break;
        if (!server.handle_line(line))
            break;
    }
    server.tear_down();
    if (messages_fd != out_fd)
        close(messages_fd);
    return 0;
}

}  // namespace benchctl
