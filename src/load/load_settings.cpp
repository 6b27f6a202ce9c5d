#include "load/load_settings.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

#include "util/error.hpp"

namespace benchctl {
namespace {

// A CR, LF or NUL in a header value would end the header early or smuggle in another one.
bool is_header_value(std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void check_counts(const LoadSettings& settings, const LoadSettingNames& names) {
    if (settings.threads < 1) {
        throw UserError("threads must be at least 1", names.where(LoadKey::threads),
                        "use " + names.written(LoadKey::threads, "1") + " or more");
    }
    if (settings.connections < settings.threads) {
        throw UserError("connections (" + std::to_string(settings.connections) +
                            ") must be at least the number of threads (" +
                            std::to_string(settings.threads) + ")",
                        names.where(LoadKey::connections),
                        "raise " + names.name(LoadKey::connections) + " or lower " +
                            names.name(LoadKey::threads) + ": each thread needs a connection");
    }
}

void check_stop_rule(const LoadSettings& settings, const LoadSettingNames& names) {
    switch (settings.stop_rule) {
        case StopRule::duration:
            if (settings.duration.count() <= 0) {
                throw UserError("duration must be positive", names.where(LoadKey::duration),
                                "use a duration such as 10s");
            }
            break;
        case StopRule::requests:
            if (settings.total_requests < settings.connections) {
                throw UserError("total requests (" + std::to_string(settings.total_requests) +
                                    ") must be at least the number of connections (" +
                                    std::to_string(settings.connections) + ")",
                                names.where(LoadKey::requests),
                                "raise " + names.name(LoadKey::requests) + " or lower " +
                                    names.name(LoadKey::connections) +
                                    ": each connection sends one at least");
            }
            break;
        case StopRule::iterations:
            if (settings.iterations < 1) {
                throw UserError("iterations must be at least 1", names.where(LoadKey::iterations),
                                "use " + names.written(LoadKey::iterations, "1") + " or more");
            }
            break;
    }
}

void check_timing(const LoadSettings& settings, const LoadSettingNames& names) {
    if (settings.rate_per_sec &&
        !(std::isfinite(*settings.rate_per_sec) && *settings.rate_per_sec > 0)) {
        throw UserError("rate must be a positive number of requests per second",
                        names.where(LoadKey::rate),
                        std::string("use a rate such as ") +
                            (names.are_flags() ? names.written(LoadKey::rate, "1000") : "1000"));
    }
    if (settings.timeout.count() <= 0) {
        throw UserError("timeout must be positive", names.where(LoadKey::timeout),
                        "use a duration such as 2s");
    }
}

// benchctl frames every body with Content-Length (render_request). A Transfer-Encoding header
// would send both, which RFC 9112 6.3 forbids and servers resolve differently (a request
// smuggling shape), or, without a body, announce chunks that never come: refused.
void check_not_transfer_encoding(const std::string& name, const LoadSettingNames& names) {
    if (name.size() != 17)
        return;
    std::string lower;
    for (const char c : name)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "transfer-encoding")
        return;
    throw UserError("a Transfer-Encoding header cannot be sent", names.where(LoadKey::headers),
                    "remove it: benchctl sends the body whole, with a Content-Length, and a "
                    "chunked body is not supported");
}

void check_request(const LoadSettings& settings, const LoadSettingNames& names) {
    if (settings.requests)
        return;  // a request model: its compiler checked every request, placeholders aside
    if (!is_token(settings.method)) {
        throw UserError("method '" + settings.method + "' is not an HTTP token",
                        names.where(LoadKey::method), "use a method name such as GET or POST");
    }
    // A matrix writes headers as a map, one value per key: only the flag has a syntax to show.
    const std::string hint = names.are_flags()
                                 ? "write headers as -H 'Name: value'"
                                 : "write header names as HTTP tokens and each value on one line";
    for (const auto& [name, value] : settings.headers) {
        if (!is_token(name)) {
            throw UserError("header name '" + name + "' is not an HTTP token",
                            names.where(LoadKey::headers), hint);
        }
        if (!is_header_value(value)) {
            throw UserError("value of header '" + name + "' contains a line break or NUL",
                            names.where(LoadKey::headers),
                            names.are_flags() ? "put each header in its own -H" : hint);
        }
        check_not_transfer_encoding(name, names);
    }
}

struct KeyNames {
    LoadKey key;
    const char* flag;
    const char* matrix_key;
};

constexpr KeyNames k_key_names[] = {
    {LoadKey::url, "URL argument", "url"},
    {LoadKey::threads, "-t", "threads"},
    {LoadKey::connections, "-c", "connections"},
    {LoadKey::duration, "-d", "duration"},
    {LoadKey::requests, "-n", "requests"},
    {LoadKey::iterations, "--iterations", "iterations"},
    {LoadKey::rate, "-R", "rate"},
    {LoadKey::timeout, "--timeout", "timeout"},
    {LoadKey::warmup, "--warmup", "warmup"},
    {LoadKey::method, "--method", "method"},
    {LoadKey::headers, "-H", "headers"},
    {LoadKey::body_file, "--body-file", "body_file"},
    {LoadKey::cpus, "--cpus", "cpus"},
    {LoadKey::keepalive, "keepalive (--script)", "keepalive"},
    {LoadKey::seed, "--seed", "seed"},
    {LoadKey::latency, "--latency", "latency"},
};

}  // namespace

bool is_token(std::string_view text) {
    constexpr std::string_view k_punctuation = "!#$%&'*+-.^_`|~";
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
        const bool is_alnum =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return is_alnum || k_punctuation.find(c) != std::string_view::npos;
    });
}

LoadSettingNames LoadSettingNames::flags() {
    return LoadSettingNames(true, {});
}

LoadSettingNames LoadSettingNames::keys(std::function<std::string(const std::string&)> locate) {
    return LoadSettingNames(false, std::move(locate));
}

std::string LoadSettingNames::name(LoadKey key) const {
    for (const KeyNames& names : k_key_names) {
        if (names.key == key)
            return m_flags ? names.flag : names.matrix_key;
    }
    return "";
}

std::string LoadSettingNames::where(LoadKey key) const {
    return m_locate ? m_locate(name(key)) : name(key);
}

std::string LoadSettingNames::written(LoadKey key, const std::string& value) const {
    return name(key) + (m_flags ? " " : ": ") + value;
}

void validate_load_settings(const LoadSettings& settings, const LoadSettingNames& names) {
    check_counts(settings, names);
    check_stop_rule(settings, names);
    check_timing(settings, names);
    check_request(settings, names);
}

const char* stop_rule_name(StopRule rule) {
    switch (rule) {
        case StopRule::duration:
            return "duration";
        case StopRule::requests:
            return "requests";
        case StopRule::iterations:
            return "iterations";
    }
    return "duration";
}

}  // namespace benchctl
