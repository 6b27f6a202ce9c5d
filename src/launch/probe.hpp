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

// Sends "GET `path` HTTP/1.0" to 127.0.0.1:`port` and compares the status code of the final
// response's status line with `expected_status`; interim 1xx responses (100 Continue, 103 Early
// Hints) before it are skipped unless `expected_status` is theirs. The whole exchange must finish
// within `timeout`. Reads no further than the final status line.
ProbeResult probe_http(std::uint16_t port, const std::string& path, int expected_status,
                       std::chrono::milliseconds timeout);

}  // namespace benchctl
