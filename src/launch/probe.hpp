#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace benchctl {

// The answer of one readiness probe: ok, or what went wrong in words for the failure reason
// ("connection refused", "status 503, expected 200", "timed out").
struct ProbeResult {
    bool ok = false;
    std::string detail;
};

// Whether a TCP connection to 127.0.0.1:`port` is accepted within `timeout`.
ProbeResult probe_tcp(std::uint16_t port, std::chrono::milliseconds timeout);

// Sends "GET `path` HTTP/1.0" to 127.0.0.1:`port` and compares the status code of the response's
// status line with `expected_status`; the whole exchange must finish within `timeout`. Reads only
// the status line.
ProbeResult probe_http(std::uint16_t port, const std::string& path, int expected_status,
                       std::chrono::milliseconds timeout);

}  // namespace benchctl
