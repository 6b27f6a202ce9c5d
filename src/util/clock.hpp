#pragma once

#include <cstdint>
#include <string>

namespace benchctl {

// Nanoseconds on CLOCK_MONOTONIC: never jumps with wall-clock changes. Only differences mean
// anything.
std::uint64_t monotonic_ns();

// The current wall-clock time as an ISO 8601 UTC string with milliseconds,
// e.g. "2026-11-23T11:03:11.250Z". For timestamps in result files, never for measuring.
std::string utc_timestamp_now();

}  // namespace benchctl
