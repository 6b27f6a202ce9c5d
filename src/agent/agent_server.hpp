#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <thread>
#include <vector>

#include "agent/agent_loads.hpp"
#include "agent/agent_trees.hpp"
#include "agent/message_stream.hpp"

namespace benchctl {

class JsonField;

// One agent session: the requests of one coordinator, answered on `sink` (docs/hosts.md).
// Quick requests (clock, free_port, poll, sampling, load_cancel) are answered on the calling
// thread, in order; those that wait (launch, stop, load_prepare, load_start) on a thread of
// their own, so a clock request is answered while a load runs and answers may come out of order
// (each carries its request's id). Owns a session directory for the trees' logs, removed by
// tear_down().
class AgentServer {
  public:
    // Creates the session directory under $TMPDIR (or /tmp). Throws UserError when it cannot.
    explicit AgentServer(MessageSink& sink);
    // tear_down().
    ~AgentServer();
    AgentServer(const AgentServer&) = delete;
    AgentServer& operator=(const AgentServer&) = delete;

    // Writes the hello event (local_hello()); the first thing an agent says.
    void announce();

    // Serves one line of the coordinator. A line that is not a request is answered with a
    // "protocol_error" event. Returns false after a "shutdown" request, which it answers only
    // once everything is torn down.
    bool handle_line(const std::string& line);

    // Cancels every load and readiness wait, SIGKILLs every tree, joins the workers and removes
    // the session directory. What is still answered after that may be dropped. Idempotent.
    void tear_down();

    // The session directory (trees' logs under logs/).
    const std::string& session_dir() const { return m_session_dir; }

  private:
    using Handler = std::function<nlohmann::json(const JsonField&)>;
    void answer(const nlohmann::json& id, const nlohmann::json& request, const Handler& handler);
    void answer_on_worker(const nlohmann::json& id, nlohmann::json request, Handler handler);
    void join_finished_workers();
    bool dispatch(const nlohmann::json& id, const std::string& op, nlohmann::json request);

    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };

    MessageSink& m_sink;
    std::string m_session_dir;
    std::unique_ptr<AgentTrees> m_trees;
    AgentLoads m_loads;
    std::mutex m_workers_mutex;
    std::vector<Worker> m_workers;
    bool m_torn_down = false;
};

// The life of `benchctl agent`: a session on `in_fd` / `out_fd` (its stdin and stdout), until
// the coordinator asks it to shut down, `in_fd` reaches end of file (the connection dropped),
// `out_fd` breaks, or SIGTERM, SIGINT or SIGHUP arrives; then everything it started is torn
// down before it returns. Makes the process a child subreaper, ignores SIGPIPE, and points
// descriptor 1 at descriptor 2 when `out_fd` is 1, so that nothing but messages reaches the
// coordinator. Returns the exit code: 0.
int serve_agent(int in_fd, int out_fd);

}  // namespace benchctl
