#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "load/url.hpp"

namespace benchctl {

// What one HTTP exchange got back.
struct HttpReply {
    int status = 0;     // the final response's status; 0 when there was none
    std::string body;   // the response's body (chunked bodies decoded), at most 1 MiB kept
    std::string error;  // why there is no response ("connection refused", "timed out after 10s")
    // The whole response as received (status line, headers, body as sent), at most 1 MiB kept:
    // for a caller that parses it again (verify's request walk: header captures, its checks).
    std::string raw;
};

// Sends one request and reads its response: the runner's one way to send a step's request (and
// the cells' verify requests), so that tests script the answers without a socket.
class HttpClient {
  public:
    virtual ~HttpClient() = default;
    // Connects to `url`'s host and port, sends `request` (complete bytes, as render_request
    // makes them) and reads one response; `expect_body` is false for HEAD. Never throws for what
    // the server does: a refused connection, a malformed response or `timeout` passing (for the
    // whole exchange), or `cancel` becoming true, yields a reply with `error` set.
    virtual HttpReply exchange(const Url& url, const std::string& request, bool expect_body,
                               std::chrono::nanoseconds timeout,
                               const std::atomic<bool>& cancel) = 0;
};

// The real client: one blocking connection per exchange (poll, 50 ms steps for `cancel`), the
// response's end found by the load client's parser (HttpResponseParser). Stateless.
HttpClient& blocking_http_client();

}  // namespace benchctl
