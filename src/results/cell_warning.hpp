#pragma once

#include <string>

namespace benchctl {

// How much a warning undermines a cell's figures.
enum class WarningSeverity {
    note,     // worth knowing; the figures stand (client and server share cores)
    suspect,  // the figures may not measure the server (no request completed, a ramp, a
              // saturated client, repetitions that disagree)
};

// One reason not to take a cell's figures at face value. Recorded by the runner in the cell
// document (what it saw while measuring) and added by reports (what only shows across
// repetitions, such as "noisy"); every report format shows the same list. `code` is a stable
// machine-readable name ("no_requests", "ramp", "client_saturated", "timeouts",
// "unsolicited_responses", "shared_cores", "noisy" ...), `message` says what was seen with its
// figure and what to do.
struct CellWarning {
    std::string code;
    WarningSeverity severity = WarningSeverity::suspect;
    std::string message;
};

// "note" or "suspect".
inline const char* warning_severity_name(WarningSeverity severity) {
    return severity == WarningSeverity::note ? "note" : "suspect";
}

}  // namespace benchctl
