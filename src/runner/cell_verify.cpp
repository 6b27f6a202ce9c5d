#include "runner/cell_verify.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "load/request.hpp"
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

}  // namespace

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
