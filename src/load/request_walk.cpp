#include "load/request_walk.hpp"

#include <fmt/format.h>

#include "load/request.hpp"
#include "load/request_model.hpp"

namespace benchctl {

RequestWalk::RequestWalk(const LoadSettings& settings) : m_settings(settings) {
    if (const auto& model = settings.requests) {
        m_cursors = std::make_unique<DataCursors>(model->data.size());
        m_source =
            std::make_unique<RequestSource>(*model, *m_cursors, settings.seed.value_or(0), 0, 1);
        m_source->attach(m_user);
    }
}

RequestWalk::~RequestWalk() = default;

std::optional<WalkRequest> RequestWalk::next() {
    const auto& model = m_settings.requests;
    const std::uint32_t count = model ? static_cast<std::uint32_t>(model->requests.size()) : 1;
    if (m_position >= count)
        return std::nullopt;
    const std::uint32_t index = m_position++;
    m_in_flight = true;
    if (!model) {
        m_parser.start_response(!response_has_no_body(m_settings.method));
        return WalkRequest{"request", render_request(m_settings)};
    }
    std::optional<PreparedRequest> prepared = m_source->next(m_user, 0, index);
    if (!prepared)
        return std::nullopt;
    m_parser.start_response(prepared->expect_body, m_source->observer(m_user));
    return WalkRequest{model->requests[index].name, std::string(prepared->bytes)};
}

WalkOutcome RequestWalk::feed(std::string_view bytes) {
    if (!m_in_flight)
        return {WalkOutcome::State::failed, 0, "bytes arrived with no request in flight"};
    HttpResponseParser::FeedResult fed = m_parser.feed(bytes.data(), bytes.size());
    if (fed.outcome == HttpResponseParser::Outcome::error) {
        m_in_flight = false;
        return {WalkOutcome::State::failed, 0,
                fmt::format("malformed response: {}", m_parser.error_name())};
    }
    if (fed.outcome == HttpResponseParser::Outcome::need_more)
        return {};
    return settle(m_parser.status_code());
}

WalkOutcome RequestWalk::end_of_stream() {
    if (!m_in_flight)
        return {WalkOutcome::State::failed, 0, "no request in flight"};
    if (m_parser.finish() == HttpResponseParser::Outcome::response_complete)
        return settle(m_parser.status_code());
    m_in_flight = false;
    return {WalkOutcome::State::failed, 0,
            "the connection closed before the response was complete"};
}

WalkOutcome RequestWalk::settle(int status) {
    m_in_flight = false;
    if (!m_source)
        return {WalkOutcome::State::passed, status, ""};
    std::optional<CheckFailure> failure = m_source->complete(m_user, status);
    if (!failure)
        return {WalkOutcome::State::passed, status, ""};
    const CompiledRequest& request = m_settings.requests->requests[m_user.current];
    if (failure->kind == CheckFailure::Kind::status) {
        return {WalkOutcome::State::failed, status,
                fmt::format("{}: expected status {}, got {}", request.name,
                            fmt::join(request.expect_status, " or "), status)};
    }
    return {WalkOutcome::State::failed, status,
            fmt::format("{}: capture '{}' found nothing in the response", request.name,
                        failure->capture)};
}

}  // namespace benchctl
