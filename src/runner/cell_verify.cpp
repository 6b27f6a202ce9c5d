#include "runner/cell_verify.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "load/request.hpp"
#include "load/request_model.hpp"
#include "load/request_walk.hpp"
#include "util/text_pattern.hpp"

namespace benchctl {

namespace {

constexpr std::size_t k_shown_bytes = 200;

// Why one response fails the spec, or "".
std::string mismatch(const VerifySpec& spec, const HttpReply& reply) {
    const bool status_ok =
        spec.status ? reply.status == *spec.status : reply.status >= 200 && reply.status < 300;
    if (!status_ok) {
        return fmt::format("answered {}, expected {}", reply.status,
                           spec.status ? std::to_string(*spec.status) : "2xx");
    }
    if (spec.body_regex && !TextPattern(*spec.body_regex).find(reply.body))
        return fmt::format("answered {} with a body that does not match /{}/", reply.status,
                           *spec.body_regex);
    if (spec.json_key) {
        const nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains(*spec.json_key))
            return fmt::format("answered {} with a body that is no JSON object with the key '{}'",
                               reply.status, *spec.json_key);
    }
    return "";
}

// "POST http://127.0.0.1:8080/tasks" for the request line of `bytes`, sent to `url`'s server.
std::string request_label(const Url& url, const std::string& bytes) {
    const std::size_t method_end = bytes.find(' ');
    const std::size_t target_end = bytes.find(' ', method_end + 1);
    const std::string method = bytes.substr(0, method_end);
    const std::string target = bytes.substr(method_end + 1, target_end - method_end - 1);
    if (target == url.target)
        return fmt::format("{} {}", method, url.text);
    return fmt::format("{} http://{}{}", method, url.host_header, target);
}

// The walk's verdict on one reply, then the spec's; why it fails, or "".
std::string judge_walked(const VerifySpec& spec, RequestWalk& walk, const HttpReply& reply,
                         bool own_status) {
    WalkOutcome outcome = walk.feed(reply.raw);
    if (outcome.state == WalkOutcome::State::need_more)
        outcome = walk.end_of_stream();  // a response cut at the 1 MiB kept
    if (outcome.state == WalkOutcome::State::failed)
        return fmt::format("failed its check ({})", outcome.reason);
    VerifySpec checked = spec;
    if (own_status)
        checked.status = reply.status;  // the request's own expected status held
    return mismatch(checked, reply);
}

}  // namespace

std::optional<std::string> verify_load(const VerifySpec& spec, HttpClient& http,
                                       const LoadSettings& settings,
                                       std::chrono::nanoseconds timeout,
                                       const std::atomic<bool>& cancel) {
    for (unsigned round = 1; round <= spec.count; ++round) {
        RequestWalk walk(settings);
        for (std::size_t index = 0; std::optional<WalkRequest> request = walk.next(); ++index) {
            const std::string method = request->bytes.substr(0, request->bytes.find(' '));
            const bool own_status =
                settings.requests && !settings.requests->requests[index].expect_status.empty();
            const HttpReply reply = http.exchange(settings.url, request->bytes,
                                                  !response_has_no_body(method), timeout, cancel);
            if (cancel.load())
                return std::nullopt;
            const std::string label = fmt::format(
                "verify: {}{}{}", request_label(settings.url, request->bytes),
                settings.requests ? fmt::format(" ('{}')", request->name) : "",
                spec.count > 1 ? fmt::format(" (request {} of {})", round, spec.count) : "");
            if (!reply.error.empty())
                return fmt::format("{}: {}", label, reply.error);
            if (std::string why = judge_walked(spec, walk, reply, own_status); !why.empty()) {
                return fmt::format("{} {}; the response began: \"{}\"", label, why,
                                   reply.body.substr(0, k_shown_bytes));
            }
        }
    }
    return std::nullopt;
}

std::optional<std::string> verify_request(const VerifySpec& spec, HttpClient& http,
                                          const VerifyRequest& request,
                                          std::chrono::nanoseconds timeout,
                                          const std::atomic<bool>& cancel) {
    for (unsigned sent = 1; sent <= spec.count; ++sent) {
        const HttpReply reply = http.exchange(
            request.url, request.request, !response_has_no_body(request.method), timeout, cancel);
        if (cancel.load())
            return std::nullopt;
        const std::string label =
            fmt::format("verify: {} {}{}", request.method, request.url.text,
                        spec.count > 1 ? fmt::format(" (request {} of {})", sent, spec.count) : "");
        if (!reply.error.empty())
            return fmt::format("{}: {}", label, reply.error);
        if (std::string why = mismatch(spec, reply); !why.empty()) {
            return fmt::format("{} {}; the response began: \"{}\"", label, why,
                               reply.body.substr(0, k_shown_bytes));
        }
    }
    return std::nullopt;
}

}  // namespace benchctl
