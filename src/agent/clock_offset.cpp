#include "agent/clock_offset.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "agent/agent_client.hpp"
#include "util/clock.hpp"
#include "util/json_field.hpp"

namespace benchctl {

ClockOffset estimate_clock_offset(const std::vector<ClockSample>& samples) {
    if (samples.empty())
        throw std::invalid_argument("estimate_clock_offset needs at least one sample");
    const ClockSample* best = &samples.front();
    for (const ClockSample& sample : samples) {
        if (sample.received_ns - sample.sent_ns < best->received_ns - best->sent_ns)
            best = &sample;
    }
    const std::uint64_t rtt = best->received_ns - best->sent_ns;
    const std::uint64_t midpoint = best->sent_ns + rtt / 2;
    // Unsigned wrap-around then conversion: the signed difference, whatever its sign.
    ClockOffset offset;
    offset.offset_ns = static_cast<std::int64_t>(best->agent_ns - midpoint);
    offset.rtt_ns = rtt;
    offset.samples = static_cast<unsigned>(samples.size());
    return offset;
}

ClockOffset measure_clock_offset(AgentClient& agent, unsigned rounds) {
    std::vector<ClockSample> samples;
    for (unsigned i = 0; i < std::max(rounds, 1u); ++i) {
        ClockSample sample;
        sample.sent_ns = monotonic_ns();
        nlohmann::json answer = agent.call("clock", nlohmann::json::object());
        sample.received_ns = monotonic_ns();
        sample.agent_ns = JsonField(answer, agent.where(), "", "clock")["now_ns"].as_unsigned();
        samples.push_back(sample);
    }
    return estimate_clock_offset(samples);
}

}  // namespace benchctl
