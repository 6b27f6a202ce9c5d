#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "launch/process_tree.hpp"
#include "launch/readiness_spec.hpp"

namespace benchctl {

struct ReadyOutcome {
    bool ready = false;
    std::chrono::nanoseconds waited{0};
    std::string reason;  // when not ready: "exited with code 1 before it was ready",
                         // "not ready after 30s (HTTP probe GET /health: connection refused)"
};

// Polls until `process` is ready on 127.0.0.1:`port` per `spec` (TCP connect, an HTTP GET with
// the expected status, or a line of `log_path` matching the pattern), it exits, `spec.timeout`
// passes, or `cancel` becomes true. Polls every 50 ms; one probe takes at most 2 s and the last
// may end up to 100 ms after the timeout. Only log lines written after the process started count
// (ProcessTree::log_start_offset); each line's first 4096 bytes are searched (LinePattern). Never
// throws for what the target does; throws UserError for an invalid log pattern, or one that needs
// too much backtracking to search a line of the log.
ReadyOutcome wait_until_ready(ProcessTree& process, const ReadinessSpec& spec, std::uint16_t port,
                              const std::string& log_path, const std::atomic<bool>& cancel);

// A free TCP port on 127.0.0.1 (bind to port 0, read it, close). Another process could take it
// before the target binds it; the target then fails to start and its cell says so.
std::uint16_t find_free_port();

// The last `lines` lines of a log file ("" when missing), for failure reports.
std::string log_tail(const std::string& path, unsigned lines = 20);

}  // namespace benchctl
