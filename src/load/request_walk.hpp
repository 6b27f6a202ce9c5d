#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "load/http_response_parser.hpp"
#include "load/load_settings.hpp"
#include "load/request_source.hpp"

namespace benchctl {

// One request of a walk: the bytes to send and what to call it.
struct WalkRequest {
    std::string name;   // the mix entry's or step's name; "request" for a single request
    std::string bytes;  // the whole request, ready to write to a socket
};

// What the response to a walked request showed.
struct WalkOutcome {
    enum class State {
        need_more,  // the response is not complete yet: feed more bytes
        passed,     // complete, and its expected status and captures held
        failed,     // complete but a check failed, or malformed: `reason` says which
    };
    State state = State::need_more;
    int status = 0;      // the response's status, when one arrived
    std::string reason;  // "expected status 201, got 404", "capture 'id' found nothing" ...
};

// Renders each request of a load once, in order, for a caller that sends them itself over a
// blocking socket and wants them checked as the load would check them: the runner's verify
// step (a wrong answer fails the cell before it is measured). A single request is sent once, a
// mix sends each entry once in the order written, a sequence its steps in order (captures from
// each response fill the later steps). Data-set rows are taken as in a run (a unique set's
// first row, ...) from the walk's own positions, so a walk does not use up the run's rows.
//
//     RequestWalk walk(settings);
//     while (auto request = walk.next()) {
//         write(fd, request->bytes);
//         WalkOutcome outcome;
//         while ((outcome = walk.feed(read(fd))).state == WalkOutcome::State::need_more) {}
//         if (outcome.state == WalkOutcome::State::failed) ... // outcome.reason
//     }
class RequestWalk {
  public:
    // `settings` must outlive the walk. Its seed (or 0) seeds the placeholders' random values.
    explicit RequestWalk(const LoadSettings& settings);
    ~RequestWalk();
    RequestWalk(const RequestWalk&) = delete;
    RequestWalk& operator=(const RequestWalk&) = delete;

    // The next request, or nullopt when every request was walked (or a unique data set has no
    // row). Call feed() until its response is complete before asking for the next.
    std::optional<WalkRequest> next();

    // Feeds bytes of the response to the request last returned.
    WalkOutcome feed(std::string_view bytes);

    // The server closed the connection: completes a response whose body ends at the close, or
    // fails one that was cut short.
    WalkOutcome end_of_stream();

  private:
    WalkOutcome settle(int status);

    const LoadSettings& m_settings;
    std::unique_ptr<DataCursors> m_cursors;
    std::unique_ptr<RequestSource> m_source;
    VirtualUser m_user;
    HttpResponseParser m_parser;
    std::uint32_t m_position = 0;
    bool m_in_flight = false;
};

}  // namespace benchctl
