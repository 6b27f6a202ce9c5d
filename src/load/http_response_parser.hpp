#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace benchctl {

// Sees the parts of a response as the parser meets them, for the few requests that take values
// from their responses (captures). Pieces are views into the bytes being parsed, valid only during
// the call; one header name or value, or the body, may come in several pieces.
class ResponseObserver {
  public:
    virtual ~ResponseObserver() = default;
    // A response begins (also an interim 1xx, whose parts then come before the final one's).
    virtual void on_response_begin() = 0;
    virtual void on_header_name(std::string_view piece) = 0;
    virtual void on_header_value(std::string_view piece) = 0;
    // Body bytes, with any chunked framing removed.
    virtual void on_body(std::string_view piece) = 0;
};

// Streaming HTTP/1.x response parser for one connection, built on libhttp-parser. It keeps no
// pointer into the bytes it is given, so one receive buffer can serve every connection of a
// thread. Handles Content-Length, chunked bodies, bodies delimited by connection close, bodiless
// responses (HEAD, 1xx, 204, 304) and several responses in one read (pipelined bytes): feed()
// stops after each complete response so the caller can account for it, then the caller feeds the
// rest.
// Interim 1xx responses (100 Continue, 103 Early Hints) do not answer the request: feed() consumes
// them without reporting anything and completes only at the final response, whose status
// status_code() returns. A 101 Switching Protocols is an error (benchctl never asks to upgrade).
// A 1xx, 204 or 304 has no body whatever its headers say. No allocation after construction.
class HttpResponseParser {
  public:
    enum class Outcome {
        need_more,          // every byte consumed, the response is not complete yet
        response_complete,  // a whole response ended; see status_code() / keep_alive()
        error,              // malformed response; the connection must be closed
    };

    struct FeedResult {
        Outcome outcome;
        std::size_t consumed;  // bytes of the input used; on response_complete the rest belongs
                               // to the next response
    };

    HttpResponseParser();
    ~HttpResponseParser();
    HttpResponseParser(HttpResponseParser&&) noexcept;
    HttpResponseParser& operator=(HttpResponseParser&&) noexcept;

    // Prepares for the next response. `expect_body == false` for the response to a HEAD request.
    // `observer`, when given, sees the response's parts (it must outlive the response); without
    // one the parser does no work per header or body byte.
    void start_response(bool expect_body, ResponseObserver* observer = nullptr);

    // Parses up to `length` bytes. After response_complete, call start_response() before feeding
    // the remaining bytes. After error, the parser is unusable until start_response().
    FeedResult feed(const char* data, std::size_t length);

    // Tells the parser the peer closed the connection. Returns response_complete when that ends a
    // body delimited by close, error when a response was cut short, need_more when no byte of a
    // response had arrived (an idle close).
    Outcome finish();

    // True once any byte of the current response has been consumed.
    bool in_progress() const;

    // Status code and keep-alive of the last complete response.
    int status_code() const;
    bool keep_alive() const;

    // A short name of the last error ("invalid HTTP status code"), for logs.
    const char* error_name() const;

  private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace benchctl
