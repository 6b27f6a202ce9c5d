#include "load/run_plan.hpp"

#include <catch2/catch.hpp>
#include <cstdint>

using namespace benchctl;

namespace {

std::uintptr_t line_of(const void* address) {
    return reinterpret_cast<std::uintptr_t>(address) / k_cache_line_bytes;
}

}  // namespace

TEST_CASE("the ticket counters share no cache line with what every thread reads per request") {
    const LoadSettings settings;
    const StopSignal stop;
    const RunPlan plan(settings, stop);
    const std::uintptr_t requests = line_of(&plan.request_tickets);
    const std::uintptr_t warmup = line_of(&plan.warmup_tickets);
    CHECK(requests != warmup);
    for (const void* read :
         {static_cast<const void*>(&plan.measure_start_ns),
          static_cast<const void*>(&plan.start_ns), static_cast<const void*>(&plan.request),
          static_cast<const void*>(&plan.expect_body)}) {
        CHECK(line_of(read) != requests);
        CHECK(line_of(read) != warmup);
    }
}
