#include "launch/probe.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace benchctl {

namespace {

using Clock = std::chrono::steady_clock;

// More 1xx responses before the final one than any real server sends.
constexpr int k_max_interim_responses = 8;
// How much of a response line a failure reason quotes.
constexpr std::size_t k_max_quoted = 200;

// An open socket, closed when it goes out of scope.
class Socket {
  public:
    explicit Socket(int fd) : m_fd(fd) {}
    ~Socket() {
        if (m_fd >= 0)
            close(m_fd);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return m_fd; }

  private:
    int m_fd;
};

std::string error_text(int error) {
    if (error == ECONNREFUSED)
        return "connection refused";
    return std::strerror(error);
}

int milliseconds_left(Clock::time_point deadline) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `events` on `fd` until `deadline`; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    pollfd item{fd, events, 0};
    for (;;) {
        int ready = poll(&item, 1, milliseconds_left(deadline));
        if (ready > 0)
            return true;
        if (ready == 0)
            return false;
        if (errno != EINTR)
            return false;
    }
}

// Connects the non-blocking `socket_out` to 127.0.0.1:`port` by `deadline`.
ProbeResult connect_local(std::uint16_t port, Clock::time_point deadline, Socket& socket_out) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket_out.fd();
    if (fd < 0)
        return {false, error_text(errno)};
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
        return {true, ""};
    if (errno != EINPROGRESS)
        return {false, error_text(errno)};
    if (!wait_for(fd, POLLOUT, deadline))
        return {false, "timed out connecting"};
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0)
        return {false, error_text(error)};
    return {true, ""};
}

int open_socket() {
    return socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

bool send_all(int fd, const std::string& data, Clock::time_point deadline) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!wait_for(fd, POLLOUT, deadline))
                return false;
        } else {
            return false;
        }
    }
    return true;
}

// Reads into `received` until it holds `terminator` at or after `from`, the peer closes, 16 KiB
// came, or the deadline passes; returns where the terminator begins, or npos.
std::size_t read_until(int fd, std::string& received, std::string_view terminator, std::size_t from,
                       Clock::time_point deadline) {
    constexpr std::size_t k_limit = 16384;
    char buffer[512];
    for (;;) {
        std::size_t found = received.find(terminator, from);
        if (found != std::string::npos || received.size() >= k_limit)
            return found;
        ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            received.append(buffer, static_cast<std::size_t>(n));
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!wait_for(fd, POLLIN, deadline))
                return std::string::npos;
        } else {
            return std::string::npos;
        }
    }
}

// The status code of "HTTP/1.1 200 OK", or -1 when the line is not a status line.
int parse_status_code(const std::string& line) {
    if (line.rfind("HTTP/", 0) != 0)
        return -1;
    std::size_t space = line.find(' ');
    if (space == std::string::npos || line.size() < space + 4)
        return -1;
    int code = 0;
    for (std::size_t i = space + 1; i < space + 4; ++i) {
        if (line[i] < '0' || line[i] > '9')
            return -1;
        code = code * 10 + (line[i] - '0');
    }
    return code;
}

// Reads the response's status line and compares its code with `expected_status`, skipping the
// interim responses (100 Continue, 102, 103 Early Hints) that may come before the final one; 101
// Switching Protocols is final, as no HTTP response follows it.
ProbeResult read_final_status(int fd, int expected_status, Clock::time_point deadline) {
    std::string received;
    std::size_t at = 0;
    for (int interim = 0; interim <= k_max_interim_responses; ++interim) {
        std::size_t end = read_until(fd, received, "\n", at, deadline);
        std::string line =
            received.substr(at, end == std::string::npos ? std::string::npos : end - at);
        line = line.substr(0, std::min(line.find('\r'), k_max_quoted));
        if (line.empty())
            return {false, Clock::now() >= deadline ? "timed out" : "no response"};
        int status = parse_status_code(line);
        if (status < 0)
            return {false, fmt::format("not an HTTP status line: '{}'", line)};
        if (status == expected_status)
            return {true, ""};
        if (status >= 200 || status == 101) {
            return {false, fmt::format("status {}, expected {}", status, expected_status)};
        }
        std::size_t head_end = read_until(fd, received, "\r\n\r\n", at, deadline);
        if (head_end == std::string::npos)
            return {false, fmt::format("an incomplete {} interim response", status)};
        at = head_end + 4;
    }
    return {false, fmt::format("more than {} interim responses", k_max_interim_responses)};
}

}  // namespace

ProbeResult probe_tcp(std::uint16_t port, std::chrono::milliseconds timeout) {
    Socket socket(open_socket());
    return connect_local(port, Clock::now() + timeout, socket);
}

ProbeResult probe_http(std::uint16_t port, const std::string& path, int expected_status,
                       std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    Socket socket(open_socket());
    ProbeResult connected = connect_local(port, deadline, socket);
    if (!connected.ok)
        return connected;
    std::string request = fmt::format(
        "GET {} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nUser-Agent: benchctl\r\nConnection: "
        "close\r\n\r\n",
        path, port);
    if (!send_all(socket.fd(), request, deadline))
        return {false, "could not send the request"};
    return read_final_status(socket.fd(), expected_status, deadline);
}

ProbeExchange exchange_local(std::uint16_t port, std::string_view request,
                             std::chrono::milliseconds timeout,
                             const std::function<bool(std::string_view reply)>& complete) {
    constexpr std::size_t k_limit = 16384;
    auto deadline = Clock::now() + timeout;
    Socket socket(open_socket());
    ProbeExchange exchange;
    exchange.sent = connect_local(port, deadline, socket);
    if (!exchange.sent.ok)
        return exchange;
    if (!send_all(socket.fd(), std::string(request), deadline)) {
        exchange.sent = {false, "could not send the request"};
        return exchange;
    }
    char buffer[512];
    while (!complete(exchange.reply) && exchange.reply.size() < k_limit) {
        ssize_t n = recv(socket.fd(), buffer, sizeof buffer, 0);
        if (n > 0) {
            exchange.reply.append(buffer, static_cast<std::size_t>(n));
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!wait_for(socket.fd(), POLLIN, deadline))
                break;
        } else {
            break;
        }
    }
    return exchange;
}

}  // namespace benchctl
