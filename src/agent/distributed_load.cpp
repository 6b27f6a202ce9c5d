#include "agent/distributed_load.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>

#include "agent/agent_client.hpp"
#include "agent/agent_protocol.hpp"
#include "agent/load_merge.hpp"
#include "agent/load_split.hpp"
#include "results/load_document.hpp"
#include "util/clock.hpp"
#include "util/json_field.hpp"

namespace benchctl {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Cancelled agents end their loads within a few hundred milliseconds; one that does not answer
// within this long after the cancel is given up on.
constexpr auto k_cancel_wait = 30s;
// Beyond a timed load's own length (warm-up, duration, the requests' timeout), how long the
// coordinator waits for an agent's result before it calls the agent hung.
constexpr auto k_result_slack = 60s;

double ms_between(std::uint64_t from_ns, std::uint64_t to_ns) {
    return to_ns > from_ns ? static_cast<double>(to_ns - from_ns) / 1e6 : 0.0;
}

std::string next_load_name() {
    static std::atomic<unsigned> counter{0};
    return fmt::format("load-{}-{}", getpid(), counter.fetch_add(1));
}

void cancel_everywhere(const std::vector<LoadAgent>& agents, const std::string& name) {
    for (const LoadAgent& agent : agents)
        agent.client->request("load_cancel", {{"load", name}});  // the answer does not matter
}

AgentError located_failure(const AgentError& error) {
    return AgentError(error.kind(), fmt::format("the load failed: {}", error.what()), error.where(),
                      error.hint());
}

// Step 2: every agent prepared and ready, or the first failure (the others forget the load).
void prepare_all(const std::vector<LoadAgent>& agents, const std::vector<LoadSettings>& parts,
                 const std::string& name, std::chrono::milliseconds timeout) {
    std::vector<AgentAnswer> answers;
    const LoadResult nothing_yet;  // the document carries the settings; its result is ignored
    for (std::size_t i = 0; i < agents.size(); ++i) {
        answers.push_back(agents[i].client->request(
            "load_prepare",
            {{"load", name}, {"document", to_load_document(parts[i], nothing_yet)}}));
    }
    for (std::size_t i = 0; i < agents.size(); ++i) {
        try {
            if (answers[i].wait_for(timeout) != std::future_status::ready) {
                throw AgentError(
                    AgentError::Kind::timeout,
                    fmt::format("the agent was not ready within {} s", timeout.count() / 1000),
                    agents[i].client->where(), "the host may be overloaded");
            }
            answers[i].get();
        } catch (const AgentError& error) {
            cancel_everywhere(agents, name);
            throw located_failure(error);
        }
    }
}

// When a timed load should have ended for sure (0: no bound, for -n and --iterations).
std::uint64_t result_deadline(const LoadSettings& settings, std::uint64_t start_ns) {
    if (settings.stop_rule != StopRule::duration)
        return 0;
    auto bound = settings.duration + settings.timeout + k_result_slack;
    if (settings.warmup.period)
        bound += *settings.warmup.period;
    return start_ns + static_cast<std::uint64_t>(std::chrono::nanoseconds(bound).count());
}

struct Collected {
    std::vector<json> answers;
    std::uint64_t first_ns = 0;
    std::uint64_t last_ns = 0;
};

// What collect_all() has seen so far.
struct Collection {
    Collected collected;
    std::vector<bool> done;
    std::size_t left = 0;
    std::optional<AgentError> failure;
};

// The agents' live figures, summed into a LoadProgress: each running agent is asked for its own
// (load_progress) every `interval`, one question at a time; an answer that fails (the load has
// just ended and been forgotten) leaves that agent's last figures standing.
class ProgressPoll {
  public:
    ProgressPoll(const std::vector<LoadAgent>& agents, std::string name, LoadProgress* progress,
                 std::chrono::milliseconds interval)
        : m_agents(agents),
          m_name(std::move(name)),
          m_progress(progress),
          m_interval_ns(static_cast<std::uint64_t>(
              std::chrono::duration_cast<std::chrono::nanoseconds>(interval).count())),
          m_agent(agents.size()) {}

    // Takes the answers that arrived, asks again those due whose load is still running (not
    // `done`), and publishes the sum.
    void tick(const std::vector<bool>& done, std::uint64_t now) {
        if (m_progress == nullptr)
            return;
        for (std::size_t i = 0; i < m_agents.size(); ++i) {
            take_answer(m_agent[i]);
            if (!done[i] && !m_agent[i].asking && now >= m_agent[i].asked_ns + m_interval_ns) {
                m_agent[i].answer =
                    m_agents[i].client->request("load_progress", {{"load", m_name}});
                m_agent[i].asking = true;
                m_agent[i].asked_ns = now;
            }
        }
        publish();
    }

  private:
    struct AgentFigures {
        AgentAnswer answer;
        bool asking = false;
        std::uint64_t asked_ns = 0;
        std::uint64_t completed = 0;
        std::uint64_t failed = 0;
        bool measuring = false;
    };

    static void take_answer(AgentFigures& agent) {
        if (!agent.asking || agent.answer.wait_for(0ms) != std::future_status::ready)
            return;
        agent.asking = false;
        try {
            const json figures = agent.answer.get();
            agent.completed = figures.at("completed").get<std::uint64_t>();
            agent.failed = figures.at("failed").get<std::uint64_t>();
            agent.measuring = figures.at("measuring").get<bool>();
        } catch (const std::exception&) {
            // The load ended (and was forgotten) before this question: its result says the rest.
        }
    }

    void publish() {
        std::uint64_t completed = 0;
        std::uint64_t failed = 0;
        bool measuring = false;
        for (const AgentFigures& agent : m_agent) {
            completed += agent.completed;
            failed += agent.failed;
            measuring = measuring || agent.measuring;
        }
        m_progress->completed.store(completed);
        m_progress->failed.store(failed);
        m_progress->measuring.store(measuring);
    }

    const std::vector<LoadAgent>& m_agents;
    std::string m_name;
    LoadProgress* m_progress;
    std::uint64_t m_interval_ns;
    std::vector<AgentFigures> m_agent;
};

// Takes the answers that have arrived (waiting a little for the last one).
void take_answers(std::vector<AgentAnswer>& pending, Collection& state) {
    for (std::size_t i = 0; i < pending.size(); ++i) {
        const auto wait = state.left == 1 ? 20ms : 0ms;
        if (state.done[i] || pending[i].wait_for(wait) != std::future_status::ready)
            continue;
        state.done[i] = true;
        --state.left;
        Collected& collected = state.collected;
        collected.last_ns = monotonic_ns();
        collected.first_ns = collected.first_ns == 0 ? collected.last_ns : collected.first_ns;
        try {
            collected.answers[i] = pending[i].get();
        } catch (const AgentError& error) {
            if (!state.failure)
                state.failure = located_failure(error);
        }
    }
}

// Step 4: every agent's answer; on a stop request or a failure every load is cancelled, and a
// failure is thrown once the others have ended.
Collected collect_all(const std::vector<LoadAgent>& agents, std::vector<AgentAnswer>& pending,
                      const std::string& name, const StopSignal& stop, std::uint64_t deadline,
                      ProgressPoll& poll) {
    Collection state;
    state.collected.answers.resize(agents.size());
    state.done.assign(agents.size(), false);
    state.left = agents.size();
    std::uint64_t cancelled_at = 0;
    const auto cancel_wait =
        static_cast<std::uint64_t>(std::chrono::nanoseconds(k_cancel_wait).count());
    while (state.left > 0) {
        take_answers(pending, state);
        const std::uint64_t now = monotonic_ns();
        poll.tick(state.done, now);
        if (!state.failure && deadline != 0 && now > deadline && state.left > 0) {
            state.failure = AgentError(AgentError::Kind::timeout,
                                       "the load failed: an agent's result is long overdue",
                                       "load.agents", "a host may be hung or its network down");
        }
        if ((state.failure || stop.stop_requested()) && cancelled_at == 0) {
            cancel_everywhere(agents, name);
            cancelled_at = now;
        }
        if (cancelled_at != 0 && state.left > 0 && now - cancelled_at > cancel_wait)
            break;
        if (state.left > 1)
            std::this_thread::sleep_for(10ms);
    }
    if (state.failure)
        throw *state.failure;
    if (state.left > 0) {
        throw AgentError(AgentError::Kind::timeout,
                         "the load failed: an agent did not stop when asked", "load.agents",
                         "a host may be hung or its network down");
    }
    return state.collected;
}

AgentLoadReport read_report(const LoadAgent& agent, const LoadSettings& part, const json& answer,
                            const ClockOffset& clock, std::uint64_t start_ns) {
    JsonField field(answer, agent.client->where(), "", "load_start");
    AgentLoadReport report;
    report.agent = agent.client->name();
    report.settings = part;
    report.result = from_load_document(field["document"]).result;
    if (const std::optional<JsonField> latency = field.find("timeline_latency"))
        read_timeline_latency(*latency, report.result.timeline);
    report.clock = clock;
    const std::uint64_t started = clock.to_coordinator(field["started_ns"].as_unsigned());
    report.start_skew_ns = static_cast<std::int64_t>(started - start_ns);
    report.late_ns = field["late_ns"].as_unsigned();
    return report;
}

// When the agent's measurement began, on the coordinator's clock: its end less its duration.
std::uint64_t measure_start(const json& answer, const AgentLoadReport& report) {
    const std::uint64_t finished =
        report.clock.to_coordinator(answer["finished_ns"].get<std::uint64_t>());
    return finished - static_cast<std::uint64_t>(std::llround(report.result.duration_sec * 1e9));
}

}  // namespace

DistributedLoadResult run_distributed_load(const std::vector<LoadAgent>& agents,
                                           const LoadSettings& settings, const StopSignal& stop,
                                           LoadProgress* progress,
                                           const DistributedLoadOptions& options) {
    std::vector<double> weights;
    for (const LoadAgent& agent : agents)
        weights.push_back(agent.weight);
    const std::vector<LoadSettings> parts = split_load(settings, weights);
    DistributedLoadResult outcome;
    outcome.settings = settings;

    std::uint64_t mark = monotonic_ns();
    std::vector<ClockOffset> clocks;
    std::uint64_t longest_rtt = 0;
    for (const LoadAgent& agent : agents) {
        clocks.push_back(measure_clock_offset(*agent.client, options.clock_rounds));
        longest_rtt = std::max(longest_rtt, clocks.back().rtt_ns);
    }
    outcome.overhead.clock_ms = ms_between(mark, monotonic_ns());

    const std::string name = next_load_name();
    mark = monotonic_ns();
    prepare_all(agents, parts, name, options.prepare_timeout);
    const std::uint64_t ready = monotonic_ns();
    outcome.overhead.prepare_ms = ms_between(mark, ready);

    const std::uint64_t start_ns =
        ready + static_cast<std::uint64_t>(std::chrono::nanoseconds(options.start_margin).count()) +
        2 * longest_rtt;
    outcome.overhead.margin_ms = ms_between(ready, start_ns);
    std::vector<AgentAnswer> pending;
    for (std::size_t i = 0; i < agents.size(); ++i) {
        pending.push_back(agents[i].client->request(
            "load_start", {{"load", name}, {"start_at_ns", clocks[i].to_agent(start_ns)}}));
    }
    ProgressPoll poll(agents, name, progress, options.progress_interval);
    Collected collected =
        collect_all(agents, pending, name, stop, result_deadline(settings, start_ns), poll);
    outcome.overhead.collect_ms = ms_between(collected.first_ns, collected.last_ns);

    mark = monotonic_ns();
    std::vector<LoadShare> shares;
    for (std::size_t i = 0; i < agents.size(); ++i)
        outcome.agents.push_back(
            read_report(agents[i], parts[i], collected.answers[i], clocks[i], start_ns));
    for (std::size_t i = 0; i < agents.size(); ++i) {
        shares.push_back({&outcome.agents[i].settings, &outcome.agents[i].result,
                          measure_start(collected.answers[i], outcome.agents[i])});
    }
    outcome.merged = merge_load_results(shares);
    outcome.overhead.merge_ms = ms_between(mark, monotonic_ns());
    return outcome;
}

}  // namespace benchctl
