#include "agent/clock_offset.hpp"

#include <catch2/catch.hpp>

#include "agent/agent_client.hpp"
#include "agent_test_support.hpp"

using namespace benchctl;
using namespace std::chrono_literals;

TEST_CASE("the clock offset comes from the round trip with the smallest delay") {
    // The agent's clock is 5,000,000 ns ahead. Sample 2 was queued 4 ms on its way back, which
    // makes its midpoint estimate 2 ms wrong; sample 3 is the quickest.
    std::vector<ClockSample> samples = {
        {1'000, 5'001'500, 3'000},    // rtt 2000: estimate 5,001,500 - 2,000 = 4,999,500
        {10'000, 5'010'500, 15'000},  // rtt 5000
        {20'000, 5'020'300, 20'600},  // rtt 600: midpoint 20,300, offset exactly 5,000,000
    };
    ClockOffset offset = estimate_clock_offset(samples);
    CHECK(offset.offset_ns == 5'000'000);
    CHECK(offset.rtt_ns == 600);
    CHECK(offset.samples == 3);
    CHECK(offset.to_agent(1'000'000) == 6'000'000);
    CHECK(offset.to_coordinator(6'000'000) == 1'000'000);
}

TEST_CASE("an agent whose clock is behind has a negative offset, converted both ways") {
    // Different machines' monotonic clocks count from different boots.
    std::vector<ClockSample> samples = {{900'000'000'000, 100'000, 900'000'000'200}};
    ClockOffset offset = estimate_clock_offset(samples);
    CHECK(offset.offset_ns == 100'000 - 900'000'000'100);
    CHECK(offset.to_agent(900'000'000'100) == 100'000);
    CHECK(offset.to_coordinator(100'000) == 900'000'000'100);
    CHECK_THROWS(estimate_clock_offset({}));
}

TEST_CASE(
    "an agent on this machine shares its monotonic clock: the offset is within the round trip") {
    benchctl::testing::InProcessAgent agent;
    AgentClient client("local", agent.channel(), 5000ms, "");
    ClockOffset offset = measure_clock_offset(client, 8);
    CHECK(offset.samples == 8);
    CHECK(std::llabs(offset.offset_ns) <= static_cast<long long>(offset.rtt_ns / 2 + 1));
}
