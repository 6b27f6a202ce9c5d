#pragma once

#include <cstdint>
#include <vector>

namespace benchctl {

class AgentClient;

// One round trip of a "clock" request: the coordinator's monotonic clock when it sent the request
// and when the answer arrived, and the agent's monotonic clock in the answer.
struct ClockSample {
    std::uint64_t sent_ns = 0;
    std::uint64_t agent_ns = 0;
    std::uint64_t received_ns = 0;
};

// How an agent's monotonic clock relates to the coordinator's: agent = coordinator + offset_ns,
// within +/- rtt_ns / 2 (the agent read its clock somewhere inside the round trip).
struct ClockOffset {
    std::int64_t offset_ns = 0;
    std::uint64_t rtt_ns = 0;
    unsigned samples = 0;

    std::uint64_t to_agent(std::uint64_t coordinator_ns) const {
        return coordinator_ns + static_cast<std::uint64_t>(offset_ns);
    }
    std::uint64_t to_coordinator(std::uint64_t agent_ns) const {
        return agent_ns - static_cast<std::uint64_t>(offset_ns);
    }
};

// The offset from the round trip with the smallest delay, taking the agent's reading to be at the
// round trip's midpoint: NTP's clock filter in its simplest form (RFC 5905, section 10; Mills),
// since the shortest round trip is the one least skewed by queueing on either way. Two monotonic
// clocks of different machines count from different boots, so the offset may be any size.
// Requires at least one sample (throws std::invalid_argument otherwise).
ClockOffset estimate_clock_offset(const std::vector<ClockSample>& samples);

// Measures `agent`'s offset with `rounds` clock requests, one after another. Throws AgentError.
ClockOffset measure_clock_offset(AgentClient& agent, unsigned rounds = 8);

}  // namespace benchctl
