#include "runner/http_client.hpp"

#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "load/connection.hpp"
#include "load/http_response_parser.hpp"

namespace benchctl {

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto k_poll_step = std::chrono::milliseconds(50);
constexpr std::size_t k_body_limit = 1 << 20;

// Closes the descriptor on every way out.
struct Socket {
    int fd = -1;
    ~Socket() {
        if (fd >= 0)
            ::close(fd);
    }
};

// Waits until `fd` has `events`, the deadline passes or `cancel` is set; the error, or "".
std::string wait_for(int fd, short events, SteadyClock::time_point deadline,
                     const std::atomic<bool>& cancel, std::chrono::nanoseconds timeout) {
    for (;;) {
        if (cancel.load())
            return "interrupted";
        const auto now = SteadyClock::now();
        if (now >= deadline)
            return fmt::format("timed out after {:g}s",
                               std::chrono::duration<double>(timeout).count());
        const auto step = std::min<SteadyClock::duration>(deadline - now, k_poll_step);
        pollfd entry{fd, events, 0};
        const int ready = ::poll(
            &entry, 1,
            static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(step).count()) +
                1);
        if (ready > 0)
            return "";
        if (ready < 0 && errno != EINTR)
            return std::strerror(errno);
    }
}

std::string connect_to(const Url& url, Socket& socket, SteadyClock::time_point deadline,
                       const std::atomic<bool>& cancel, std::chrono::nanoseconds timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int rc =
        ::getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &found);
    if (rc != 0)
        return fmt::format("cannot resolve host '{}': {}", url.host, ::gai_strerror(rc));
    const ConnectStart start = start_connect(found->ai_addr, found->ai_addrlen, socket.fd);
    ::freeaddrinfo(found);
    if (start == ConnectStart::failed)
        return fmt::format("cannot connect to {}:{}: {}", url.host, url.port, std::strerror(errno));
    if (start == ConnectStart::in_progress) {
        if (std::string error = wait_for(socket.fd, POLLOUT, deadline, cancel, timeout);
            !error.empty())
            return error;
        if (!connect_succeeded(socket.fd))
            return fmt::format("cannot connect to {}:{}: connection refused", url.host, url.port);
    }
    return "";
}

std::string send_all(const Socket& socket, const std::string& request,
                     SteadyClock::time_point deadline, const std::atomic<bool>& cancel,
                     std::chrono::nanoseconds timeout) {
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n =
            ::send(socket.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            if (std::string error = wait_for(socket.fd, POLLOUT, deadline, cancel, timeout);
                !error.empty())
                return error;
        } else {
            return fmt::format("sending the request failed: {}", std::strerror(errno));
        }
    }
    return "";
}

// The body of one complete response in `raw` (status line, headers, body), chunks decoded.
std::string body_of(const std::string& raw) {
    const std::size_t end = raw.find("\r\n\r\n");
    if (end == std::string::npos)
        return "";
    std::string headers = raw.substr(0, end);
    std::transform(headers.begin(), headers.end(), headers.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string body = raw.substr(end + 4);
    if (headers.find("transfer-encoding: chunked") == std::string::npos)
        return body;
    std::string decoded;
    std::size_t at = 0;
    while (at < body.size()) {
        const std::size_t line_end = body.find("\r\n", at);
        if (line_end == std::string::npos)
            break;
        const std::size_t size = std::strtoul(body.substr(at, line_end - at).c_str(), nullptr, 16);
        if (size == 0)
            break;
        decoded += body.substr(line_end + 2, size);
        at = line_end + 2 + size + 2;
    }
    return decoded;
}

class BlockingHttpClient final : public HttpClient {
  public:
    HttpReply exchange(const Url& url, const std::string& request, bool expect_body,
                       std::chrono::nanoseconds timeout, const std::atomic<bool>& cancel) override {
        HttpReply reply;
        const SteadyClock::time_point deadline = SteadyClock::now() + timeout;
        Socket socket;
        reply.error = connect_to(url, socket, deadline, cancel, timeout);
        if (reply.error.empty())
            reply.error = send_all(socket, request, deadline, cancel, timeout);
        if (reply.error.empty())
            read_response(socket, expect_body, deadline, cancel, timeout, reply);
        return reply;
    }

  private:
    static void read_response(const Socket& socket, bool expect_body,
                              SteadyClock::time_point deadline, const std::atomic<bool>& cancel,
                              std::chrono::nanoseconds timeout, HttpReply& reply) {
        HttpResponseParser parser;
        parser.start_response(expect_body);
        std::string raw;
        char buffer[16384];
        for (;;) {
            if (std::string error = wait_for(socket.fd, POLLIN, deadline, cancel, timeout);
                !error.empty()) {
                reply.error = error;
                return;
            }
            const ssize_t n = ::recv(socket.fd, buffer, sizeof buffer, 0);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
                continue;
            HttpResponseParser::Outcome outcome;
            std::size_t consumed = 0;
            if (n <= 0) {
                outcome = parser.finish();
            } else {
                const HttpResponseParser::FeedResult fed =
                    parser.feed(buffer, static_cast<std::size_t>(n));
                outcome = fed.outcome;
                consumed = fed.consumed;
            }
            if (raw.size() < k_body_limit)
                raw.append(buffer, consumed);
            if (outcome == HttpResponseParser::Outcome::response_complete) {
                reply.status = parser.status_code();
                reply.body = body_of(raw);
                reply.raw = std::move(raw);
                return;
            }
            if (outcome == HttpResponseParser::Outcome::error || n <= 0) {
                reply.error = n <= 0 ? "the server closed the connection without a response"
                                     : fmt::format("malformed response: {}", parser.error_name());
                return;
            }
        }
    }
};

}  // namespace

HttpClient& blocking_http_client() {
    static BlockingHttpClient client;
    return client;
}

}  // namespace benchctl
