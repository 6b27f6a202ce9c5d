#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace benchctl {

// Nanoseconds in a second, for converting monotonic_ns() differences.
inline constexpr std::uint64_t k_ns_per_sec = 1'000'000'000;

// Nanoseconds on CLOCK_MONOTONIC: never jumps with wall-clock changes. Only differences mean
// anything.
std::uint64_t monotonic_ns();

// The current wall-clock time as an ISO 8601 UTC string with milliseconds,
// e.g. "2026-11-23T11:03:11.250Z". For timestamps in result files, never for measuring.
std::string utc_timestamp_now();

// Time as the runner sees it: a monotonic now, a sleep, and the wall-clock stamp for result
// files. An interface (ninja's DiskInterface idea, for time) so that tests drive warm-ups,
// cooldowns, settle windows and timeouts with a fake that advances at once instead of sleeping.
// Implementations are used from one thread at a time unless they say otherwise.
class Clock {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;

    virtual ~Clock() = default;
    // The monotonic time now.
    virtual TimePoint now() = 0;
    // Returns at `when` or later (at once when it has passed).
    virtual void sleep_until(TimePoint when) = 0;
    // The wall-clock time as utc_timestamp_now() writes it.
    virtual std::string utc_timestamp() = 0;
};

// The process's clock: steady_clock, std::this_thread::sleep_until, utc_timestamp_now().
// Thread-safe; lives for the whole program.
Clock& real_clock();

}  // namespace benchctl
