#include "load/http_response_parser.hpp"

#include <http_parser.h>

#include <optional>
#include <string_view>

namespace benchctl {

// One libhttp-parser per connection. on_message_complete pauses the parser, so
// http_parser_execute() returns right after the last byte of each response, leaving pipelined
// bytes to the caller. After an interim 1xx, feed() starts a fresh parser on the bytes that follow.
// Named, not anonymous: HttpResponseParser::State derives from it, and a class of the header
// built on an anonymous type warns in a unity build (-Wsubobject-linkage).
namespace http_response_detail {

struct ParserState {
    http_parser parser;
    bool expect_body = true;
    bool in_progress = false;        // a byte of the current response was consumed
    bool complete = false;           // the final response ended; waiting for start_response()
    bool interim = false;            // the message that just ended was a 1xx
    std::size_t prefix_matched = 0;  // bytes of "HTTP/" seen at the start of the response
    int status_code = 0;
    bool keep_alive = false;
    const char* error_name = "";
    ResponseObserver* observer = nullptr;

    void reset_parser() {
        http_parser_init(&parser, HTTP_RESPONSE);
        parser.data = this;
        interim = false;
        prefix_matched = 0;
    }

    bool matches_version_prefix(const char* data, std::size_t length);
    std::optional<HttpResponseParser::Outcome> settle(bool parsed_all);
};

}  // namespace http_response_detail

using http_response_detail::ParserState;

namespace {

ParserState& state_of(http_parser* parser) {
    return *static_cast<ParserState*>(parser->data);
}

bool has_no_body(int status) {
    return status / 100 == 1 || status == 204 || status == 304;
}

// Returning 1 tells libhttp-parser the message has no body whatever its headers say.
int on_headers_complete(http_parser* parser) {
    ParserState& state = state_of(parser);
    const int status = static_cast<int>(parser->status_code);
    if (parser->http_major != 1) {
        state.error_name = "unsupported HTTP version";
        return -1;
    }
    if (status < 100 || status == 101) {
        state.error_name =
            status == 101 ? "unexpected 101 Switching Protocols" : "invalid HTTP status code";
        return -1;
    }
    state.interim = status / 100 == 1;
    return !state.expect_body || has_no_body(status) ? 1 : 0;
}

int on_message_complete(http_parser* parser) {
    ParserState& state = state_of(parser);
    if (!state.interim) {
        state.complete = true;
        state.status_code = static_cast<int>(parser->status_code);
        state.keep_alive = http_should_keep_alive(parser) != 0;
    }
    http_parser_pause(parser, 1);
    return 0;
}

int on_message_begin(http_parser* parser) {
    state_of(parser).observer->on_response_begin();
    return 0;
}

int on_header_field(http_parser* parser, const char* at, std::size_t length) {
    state_of(parser).observer->on_header_name(std::string_view(at, length));
    return 0;
}

int on_header_value(http_parser* parser, const char* at, std::size_t length) {
    state_of(parser).observer->on_header_value(std::string_view(at, length));
    return 0;
}

int on_body(http_parser* parser, const char* at, std::size_t length) {
    state_of(parser).observer->on_body(std::string_view(at, length));
    return 0;
}

const http_parser_settings k_settings = [] {
    http_parser_settings settings;
    http_parser_settings_init(&settings);
    settings.on_headers_complete = on_headers_complete;
    settings.on_message_complete = on_message_complete;
    return settings;
}();

// With an observer: the same, and every part of the response passed on.
const http_parser_settings k_observed_settings = [] {
    http_parser_settings settings = k_settings;
    settings.on_message_begin = on_message_begin;
    settings.on_header_field = on_header_field;
    settings.on_header_value = on_header_value;
    settings.on_body = on_body;
    return settings;
}();

const http_parser_settings& settings_for(const ParserState& state) {
    return state.observer != nullptr ? k_observed_settings : k_settings;
}

// The library's name for its error, unless a callback chose a clearer one.
const char* describe_error(const ParserState& state) {
    const auto code = HTTP_PARSER_ERRNO(&state.parser);
    if (code == HPE_CB_headers_complete && *state.error_name != '\0')
        return state.error_name;
    return http_errno_description(code);
}

}  // namespace

// Outside strict mode libhttp-parser reads "HTXP/1.1" as "HTTP/1.1", so the name is checked here.
// CR and LF before a status line are skipped, as libhttp-parser does.
bool ParserState::matches_version_prefix(const char* data, std::size_t length) {
    constexpr std::string_view k_prefix = "HTTP/";
    for (std::size_t i = 0; i < length && prefix_matched < k_prefix.size(); ++i) {
        if (prefix_matched == 0 && (data[i] == '\r' || data[i] == '\n'))
            continue;
        if (data[i] != k_prefix[prefix_matched]) {
            error_name = "invalid HTTP version";
            return false;
        }
        ++prefix_matched;
    }
    return true;
}

// What an http_parser_execute() call ended with; nullopt when parsing goes on with the rest.
std::optional<HttpResponseParser::Outcome> ParserState::settle(bool parsed_all) {
    using Outcome = HttpResponseParser::Outcome;
    const auto code = HTTP_PARSER_ERRNO(&parser);
    if (code == HPE_OK && parsed_all)
        return std::nullopt;
    if (code == HPE_OK) {
        // Only an upgrade stops the library early without an error; benchctl never asks for one.
        error_name = "parser stopped before the end of the input";
        return Outcome::error;
    }
    if (code != HPE_PAUSED) {
        error_name = describe_error(*this);
        return Outcome::error;
    }
    if (complete)
        return Outcome::response_complete;
    // An interim 1xx ended: parse the final response from a fresh state.
    reset_parser();
    return std::nullopt;
}

struct HttpResponseParser::State : ParserState {};

HttpResponseParser::HttpResponseParser() : m_state(std::make_unique<State>()) {
    start_response(true);
}

HttpResponseParser::~HttpResponseParser() = default;
HttpResponseParser::HttpResponseParser(HttpResponseParser&&) noexcept = default;
HttpResponseParser& HttpResponseParser::operator=(HttpResponseParser&&) noexcept = default;

void HttpResponseParser::start_response(bool expect_body, ResponseObserver* observer) {
    State& state = *m_state;
    state.reset_parser();
    state.expect_body = expect_body;
    state.observer = observer;
    state.in_progress = false;
    state.complete = false;
    state.error_name = "";
}

HttpResponseParser::FeedResult HttpResponseParser::feed(const char* data, std::size_t length) {
    State& state = *m_state;
    if (state.complete) {
        state.error_name = "bytes fed after a complete response without start_response()";
        return {Outcome::error, 0};
    }
    std::size_t consumed = 0;
    while (consumed < length) {
        const std::size_t remaining = length - consumed;
        if (!state.matches_version_prefix(data + consumed, remaining)) {
            return {Outcome::error, consumed};
        }
        const std::size_t parsed =
            http_parser_execute(&state.parser, &settings_for(state), data + consumed, remaining);
        consumed += parsed;
        state.in_progress = state.in_progress || consumed > 0;
        if (const auto outcome = state.settle(parsed == remaining))
            return {*outcome, consumed};
    }
    return {Outcome::need_more, consumed};
}

HttpResponseParser::Outcome HttpResponseParser::finish() {
    State& state = *m_state;
    if (state.complete || !state.in_progress)
        return Outcome::need_more;
    // A length of 0 tells libhttp-parser the stream ended; that completes a close-delimited body.
    http_parser_execute(&state.parser, &settings_for(state), nullptr, 0);
    if (state.complete)
        return Outcome::response_complete;
    const auto code = HTTP_PARSER_ERRNO(&state.parser);
    state.error_name = code == HPE_OK ? "connection closed before the response was complete"
                                      : describe_error(state);
    return Outcome::error;
}

bool HttpResponseParser::in_progress() const {
    return m_state->in_progress;
}

int HttpResponseParser::status_code() const {
    return m_state->status_code;
}

bool HttpResponseParser::keep_alive() const {
    return m_state->keep_alive;
}

const char* HttpResponseParser::error_name() const {
    return m_state->error_name;
}

}  // namespace benchctl
