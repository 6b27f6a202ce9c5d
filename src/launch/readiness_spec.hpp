#pragma once

#include <chrono>
#include <string>

namespace benchctl {

// How a target (or service) shows it is ready to serve.
enum class ReadinessKind { tcp, http, log };

// What wait_until_ready() polls for; a matrix file's `ready:` map (docs/matrix.md).
struct ReadinessSpec {
    ReadinessKind kind = ReadinessKind::tcp;
    std::string http_path = "/";  // ReadinessKind::http
    int expected_status = 200;    // ReadinessKind::http
    std::string log_pattern;      // ReadinessKind::log: ECMAScript regex on a log line
    std::chrono::nanoseconds timeout = std::chrono::seconds(30);
};

}  // namespace benchctl
