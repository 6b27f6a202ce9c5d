#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace benchctl {

class JsonField;

// The loads an agent runs for its coordinator, by name: the agent's side of "load_prepare",
// "load_start", "load_progress" and "load_cancel" (docs/hosts.md). A load is prepared (its
// settings read from a benchctl.load/1 document, checked, its host resolved) and answered
// "ready"; then started at an instant of the agent's monotonic clock, which is how the
// coordinator starts every agent at once. The load itself is load's run_load, the same engine as
// `benchctl load`.
//
// The handlers may run on different threads at once. Each returns the answer's "result" and
// throws UserError for a request that cannot be served.
class AgentLoads {
  public:
    AgentLoads();
    ~AgentLoads();
    AgentLoads(const AgentLoads&) = delete;
    AgentLoads& operator=(const AgentLoads&) = delete;

    // {load, document}: reads the settings of `document` (a benchctl.load/1 document; its
    // result fields are ignored), checks them (its cpus against this host's) and resolves the
    // URL's host. Returns {}.
    nlohmann::json prepare(const JsonField& request);
    // {load, start_at_ns}: waits until the agent's monotonic clock reads start_at_ns (at once
    // when it has passed), runs the load and returns {document, timeline_latency, started_ns,
    // finished_ns, late_ns}: the load's benchctl.load/1 document, its per-second latency
    // histograms (timeline_latency_to_json), the clock when it began and ended, and how far
    // past start_at_ns it began. Blocks for the whole load; a cancel ends it early with the
    // document's "interrupted" set. The load is forgotten afterwards.
    nlohmann::json start(const JsonField& request);
    // {load}: stops a running load early, or forgets a prepared one that has not started.
    // Returns {}.
    nlohmann::json cancel(const JsonField& request);
    // {load}: the live figures of a prepared or running load, {completed, failed, measuring}
    // (LoadProgress: the measured requests so far; measuring is false before the warm-up ends).
    // Throws UserError for a load that is not prepared, or has finished and been forgotten.
    nlohmann::json progress(const JsonField& request) const;

    // Stops every load early and refuses new ones; start() calls still running return soon after.
    void cancel_all();

  private:
    struct Slot;
    std::shared_ptr<Slot> find(const JsonField& request) const;
    void forget(const std::string& name);

    mutable std::mutex m_mutex;
    std::map<std::string, std::shared_ptr<Slot>> m_slots;
    bool m_closed = false;
};

}  // namespace benchctl
