#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "load/url.hpp"
#include "matrix/matrix.hpp"
#include "runner/http_client.hpp"

namespace benchctl {

// The request a cell verifies, as the load client would send it.
struct VerifyRequest {
    Url url;
    std::string method;   // for messages, and HEAD (no body expected)
    std::string request;  // the complete bytes (render_request), so that a cell whose requests
                          // vary can hand each of its rendered requests in turn
};

// TFB's verify mode: sends `request` spec.count times through `http` and checks each response
// (the status required, default any 2xx; the body matching spec.body_regex; the body a JSON
// object holding spec.json_key). Returns why the cell must not be measured, with the status and
// the response's first 200 bytes, or nullopt when every response passed (or the run was
// interrupted: `cancel`).
std::optional<std::string> verify_request(const VerifySpec& spec, HttpClient& http,
                                          const VerifyRequest& request,
                                          std::chrono::nanoseconds timeout,
                                          const std::atomic<bool>& cancel);

}  // namespace benchctl
