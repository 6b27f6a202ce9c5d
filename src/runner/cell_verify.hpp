#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "load/load_settings.hpp"
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

// Verify as the load sends the cell's requests (RequestWalk): a single request once, a mix's
// entries each once in the order written, a sequence's steps in order (each response's captures
// filling the later steps), data-set rows from the first as in a run; the whole walk
// spec.count times. Each response must pass the walk's own checks (the request's expected
// status and captures), then the spec: its status (default any 2xx) unless the request has an
// expected status of its own, its body regex and JSON key. Returns why the cell must not be
// measured, naming the request (method, URL, name), with the response's first 200 bytes; nullopt
// when every response passed (or `cancel`).
std::optional<std::string> verify_load(const VerifySpec& spec, HttpClient& http,
                                       const LoadSettings& settings,
                                       std::chrono::nanoseconds timeout,
                                       const std::atomic<bool>& cancel);

}  // namespace benchctl
