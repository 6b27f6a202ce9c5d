#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <thread>

#include "agent/message_stream.hpp"
#include "launch/process_tree.hpp"
#include "services/managed_service.hpp"

namespace benchctl {

class JsonField;

// The process trees an agent runs for its coordinator, by name: the agent's side of the
// "launch", "poll", "sample_start", "sample_finish" and "stop" requests (docs/hosts.md), and of
// "service_start" and "service_stop": a service of a known kind (ManagedService) is a tree too,
// its name taken, its log streamed and its processes sampled like any other. Each
// tree is a launch stage ProcessTree (a supervisor per tree, a cgroup where allowed), so a tree
// on another host is contained exactly as a local one. A tree's output goes to
// <log_dir>/<name>.log and is streamed to `sink` as "log" events while the tree lives; the last
// of them precede the answer to "stop".
//
// The request handlers may run on different threads at once; requests for one tree are served
// one after another. Each returns the answer's "result" and throws UserError for a request that
// cannot be served (unknown tree, a name in use, a command that cannot start).
class AgentTrees {
  public:
    // `log_dir` must exist; `sink` must outlive this object. A service's files go to
    // <run_dir>/services/<name>/ (ManagedService's run directory).
    AgentTrees(std::string log_dir, MessageSink& sink, std::string run_dir);
    // tear_down().
    ~AgentTrees();
    AgentTrees(const AgentTrees&) = delete;
    AgentTrees& operator=(const AgentTrees&) = delete;

    // {tree, spec, ready?, port?}: starts the tree and, when `ready` is given, waits until it is
    // ready, exits or the wait is cut short by stop() or tear_down(). Returns {pid, tracking,
    // ready}: ready is null without a readiness spec. A tree that did not become ready keeps
    // running until the coordinator stops it. After a readiness wait, the log so far is sent
    // before the answer.
    nlohmann::json launch(const JsonField& request);
    // {tree}: {exit: null or {code, signal}, members: live processes of the tree, cpu_us: the CPU
    // time the tree has used so far (tree_cpu_time)}. Once the root has exited, the log so far is
    // sent before the answer.
    nlohmann::json poll(const JsonField& request);
    // {tree, interval_ms}: starts sampling the tree's CPU and memory; {}.
    nlohmann::json sample_start(const JsonField& request);
    // {tree}: {usage} since sample_start.
    nlohmann::json sample_finish(const JsonField& request);
    // {tree, signal, grace_sec}: stops the tree (launch's ProcessTree::stop), sends the rest of
    // its log, and forgets it. Returns the StopReport.
    nlohmann::json stop(const JsonField& request);

    // {tree, config (service_config_from_json), port, address}: sets up and starts the service
    // as ManagedService does on this host, ready on its 127.0.0.1:port, reached by the cells at
    // `address` (it then listens on every address of this host). Its output is the tree's log,
    // streamed from the first setup command on. Returns {pid, tracking, variables, version,
    // data}. Throws UserError as ManagedService::start (nothing is left running then), or when
    // tear_down() cuts the start short.
    nlohmann::json service_start(const JsonField& request);
    // {tree, hurry}: stops the service (its kind's signal, then SIGKILL after its grace, none
    // when hurry), removes its data unless keep_data, sends the rest of its log and forgets it.
    // Sent while its service_start runs, it cuts the start short (that start then answers an
    // error, leaving nothing). Returns {}.
    nlohmann::json service_stop(const JsonField& request);

    // Refuses new trees, SIGKILLs every tree without grace, sends what is left of their logs
    // (dropped when the sink is gone) and stops streaming. Idempotent.
    void tear_down();

  private:
    struct Slot;
    std::shared_ptr<Slot> find(const JsonField& request) const;
    std::shared_ptr<Slot> reserve(const std::string& name);
    void forget(const std::shared_ptr<Slot>& slot);
    void stream_logs();
    void flush_log(Slot& slot, bool everything);
    static ProcessTree& started(Slot& slot);
    static const ProcessTree& sampled(Slot& slot);
    void start_managed(Slot& slot, const JsonField& request);

    std::string m_log_dir;
    std::string m_run_dir;
    MessageSink& m_sink;
    mutable std::mutex m_mutex;  // guards m_slots, m_closed
    std::map<std::string, std::shared_ptr<Slot>> m_slots;
    bool m_closed = false;
    std::condition_variable m_wake;
    std::thread m_streamer;
};

}  // namespace benchctl
