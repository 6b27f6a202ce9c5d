#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

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

// What one request/reply exchange with a local server brought back.
struct ProbeExchange {
    ProbeResult sent;   // ok once connected and the request was sent; else why not
    std::string reply;  // what came back (possibly incomplete: the caller judges)
};

// Connects to 127.0.0.1:`port`, sends `request` and reads until `complete(reply so far)` holds,
// the peer closes, 16 KiB came or `timeout` passes (the whole exchange). For servers' own
// handshakes (a service kind's readiness: PostgreSQL's startup message, redis PING).
ProbeExchange exchange_local(std::uint16_t port, std::string_view request,
                             std::chrono::milliseconds timeout,
                             const std::function<bool(std::string_view reply)>& complete);

}  // namespace benchctl
