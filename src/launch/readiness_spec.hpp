#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace benchctl {

// How a target (or service) shows it is ready to serve.
enum class ReadinessKind {
    tcp,
    http,
    log,
    protocol,  // a server's own handshake (a service kind's: PostgreSQL's startup, redis PING)
};

struct ProbeResult;

// What wait_until_ready() polls for; a matrix file's `ready:` map (docs/matrix.md).
struct ReadinessSpec {
    ReadinessKind kind = ReadinessKind::tcp;
    std::string http_path = "/";  // ReadinessKind::http
    int expected_status = 200;    // ReadinessKind::http
    std::string log_pattern;      // ReadinessKind::log: ECMAScript regex on a log line
    // ReadinessKind::protocol: one exchange with 127.0.0.1:port within the timeout, and its name
    // for the failure reason ("PostgreSQL startup").
    std::function<ProbeResult(std::uint16_t port, std::chrono::milliseconds timeout)> protocol;
    std::string protocol_name;
    std::chrono::nanoseconds timeout = std::chrono::seconds(30);
};

}  // namespace benchctl
