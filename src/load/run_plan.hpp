#pragma once

#include <sys/socket.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "load/load_engine.hpp"
#include "load/load_settings.hpp"
#include "load/request_source.hpp"

namespace benchctl {

// The cache line of the x86-64 and arm64 machines benchctl runs on.
inline constexpr std::size_t k_cache_line_bytes = 64;

// What every thread of one run shares: the immutable plan (target address, request bytes,
// schedule origin) and the few atomics that coordinate the threads. Owned by run_load(); threads
// hold a reference for the run's lifetime.
struct RunPlan {
    static constexpr std::uint64_t k_not_yet = std::numeric_limits<std::uint64_t>::max();

    const LoadSettings& settings;
    const StopSignal& stop;
    LoadProgress* progress = nullptr;

    sockaddr_storage address{};
    socklen_t address_length = 0;
    std::string request;         // the fixed request: rendered once, sent by every connection
    bool expect_body = true;     // false for HEAD
    std::uint64_t start_ns = 0;  // when the threads began; origin of the rate schedule
    // With a request model (settings.requests): each thread renders its requests, and takes rows
    // of sequential and unique data sets from these shared positions.
    std::unique_ptr<DataCursors> data_cursors;
    std::uint64_t seed = 0;  // of the run; each thread's random source derives from it

    // Measurement begins here (monotonic ns): start_ns + warm-up period, or the moment the last
    // warm-up request was begun; k_not_yet until then.
    std::atomic<std::uint64_t> measure_start_ns{k_not_yet};
    // Requests (-n) and warm-up requests still to hand out; may go negative, which means none.
    // Each on a cache line of its own: every thread writes them once per request, and on the
    // line of measure_start_ns, start_ns and the request, which every thread reads per request,
    // each write would take the line from the readers (false sharing).
    alignas(k_cache_line_bytes) std::atomic<std::int64_t> request_tickets{0};
    alignas(k_cache_line_bytes) std::atomic<std::int64_t> warmup_tickets{0};

    RunPlan(const LoadSettings& load_settings, const StopSignal& stop_signal)
        : settings(load_settings), stop(stop_signal) {}

    // Whether a request begun at `now_ns` is measured (warm-up is over). The first request after
    // a counted warm-up marks the start of measurement.
    bool begin_is_measured(std::uint64_t now_ns);

    // Takes one -n ticket; false when all N were handed out. Always true for other stop rules.
    bool take_request_ticket();
};

}  // namespace benchctl
