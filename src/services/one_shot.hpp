#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "launch/process_tree.hpp"

namespace benchctl {

// How a command run to its end (a server's initdb, createdb, --version) finished.
struct OneShotOutcome {
    std::optional<ExitStatus> exit;  // nullopt: killed for taking too long, or interrupted
    bool interrupted = false;        // `cancel` became true while it ran
    std::string output;              // what it wrote to its log (at most the last 16 KiB)

    // Exited with code 0.
    bool succeeded() const { return exit && exit->signal == 0 && exit->code == 0; }
};

// Runs `spec` as a process tree (supervised, as every target) until its root exits, `timeout`
// passes or `cancel` becomes true; whatever is still running then is SIGKILLed. Its output is
// appended to spec.log_path and returned. Throws UserError when it cannot be started.
OneShotOutcome run_to_completion(const LaunchSpec& spec, std::chrono::nanoseconds timeout,
                                 const std::atomic<bool>& cancel);

}  // namespace benchctl
