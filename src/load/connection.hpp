#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

#include "load/http_response_parser.hpp"

namespace benchctl {

// Where one connection is in its request cycle.
enum class ConnectionState {
    ready,       // no request in flight: waiting for the schedule (socket open or not)
    connecting,  // a request is waiting for its TCP connect to finish
    writing,     // the request is being sent
    reading,     // the request is sent, its response is arriving
    finished,    // this connection will send nothing more (iterations or tickets used up)
};

// One client connection and the request it carries. Plain data owned by a LoadThread; at most one
// request in flight (no pipelining), so latency is per request.
struct Connection {
    int fd = -1;
    std::uint32_t generation = 0;  // bumped on every new socket, to drop stale epoll events
    ConnectionState state = ConnectionState::ready;
    bool wants_writable = false;  // registered for EPOLLOUT
    HttpResponseParser parser;

    // The request in flight.
    const char* request_data = nullptr;  // its bytes: the plan's, or the connection's own
    std::size_t request_size = 0;
    std::uint32_t request_index = 0;  // which request of the model (named figures)
    bool expect_body = true;          // false for a HEAD request
    std::uint64_t begun_ns = 0;       // when it was begun (connect included)
    std::uint64_t intended_ns = 0;    // rate mode: when the schedule wanted it sent
    std::size_t bytes_sent = 0;
    bool started = false;   // its first byte was written (it counts as started)
    bool measured = false;  // begun after warm-up: it counts in the results

    std::uint64_t iterations_left = 0;  // StopRule::iterations
    bool in_flight() const {
        return state == ConnectionState::connecting || state == ConnectionState::writing ||
               state == ConnectionState::reading;
    }
};

// The outcome of starting a non-blocking connect.
enum class ConnectStart { in_progress, connected, failed };

// Opens a non-blocking TCP socket with TCP_NODELAY and starts connecting it to `address`.
// Stores the descriptor in `fd` (-1 when even socket() failed, e.g. out of descriptors).
ConnectStart start_connect(const sockaddr* address, socklen_t length, int& fd);

// After the socket became writable: true when the connect succeeded (SO_ERROR is 0).
bool connect_succeeded(int fd);

// True when the peer has already sent bytes that wait to be read (a non-blocking peek at one
// byte; a closed or reset connection is false): on a connection that has just opened, a server
// that spoke before it was asked.
bool has_bytes_waiting(int fd);

}  // namespace benchctl
