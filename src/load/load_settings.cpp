#include "load/load_settings.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "util/error.hpp"

namespace benchctl {
namespace {

// RFC 9110 tchar: the characters of a method or a header field name.
bool is_token(std::string_view text) {
    constexpr std::string_view k_punctuation = "!#$%&'*+-.^_`|~";
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
        const bool is_alnum =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return is_alnum || k_punctuation.find(c) != std::string_view::npos;
    });
}

// A CR, LF or NUL in a header value would end the header early or smuggle in another one.
bool is_header_value(std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void check_counts(const LoadSettings& settings) {
    if (settings.threads < 1)
        throw UserError("threads must be at least 1", "-t", "use -t 1 or more");
    if (settings.connections < settings.threads) {
        throw UserError("connections (" + std::to_string(settings.connections) +
                            ") must be at least the number of threads (" +
                            std::to_string(settings.threads) + ")",
                        "-c", "raise -c or lower -t: each thread needs a connection");
    }
}

void check_stop_rule(const LoadSettings& settings) {
    switch (settings.stop_rule) {
        case StopRule::duration:
            if (settings.duration.count() <= 0) {
                throw UserError("duration must be positive", "-d", "use a duration such as 10s");
            }
            break;
        case StopRule::requests:
            if (settings.total_requests < settings.connections) {
                throw UserError("total requests (" + std::to_string(settings.total_requests) +
                                    ") must be at least the number of connections (" +
                                    std::to_string(settings.connections) + ")",
                                "-n", "raise -n or lower -c: each connection sends one at least");
            }
            break;
        case StopRule::iterations:
            if (settings.iterations < 1) {
                throw UserError("iterations must be at least 1", "--iterations",
                                "use --iterations 1 or more");
            }
            break;
    }
}

void check_timing(const LoadSettings& settings) {
    if (settings.rate_per_sec &&
        !(std::isfinite(*settings.rate_per_sec) && *settings.rate_per_sec > 0)) {
        throw UserError("rate must be a positive number of requests per second", "-R",
                        "use a rate such as -R 1000");
    }
    if (settings.timeout.count() <= 0) {
        throw UserError("timeout must be positive", "--timeout", "use a duration such as 2s");
    }
}

void check_request(const LoadSettings& settings) {
    if (!is_token(settings.method)) {
        throw UserError("method '" + settings.method + "' is not an HTTP token", "--method",
                        "use a method name such as GET or POST");
    }
    for (const auto& [name, value] : settings.headers) {
        if (!is_token(name)) {
            throw UserError("header name '" + name + "' is not an HTTP token", "-H",
                            "write headers as -H 'Name: value'");
        }
        if (!is_header_value(value)) {
            throw UserError("value of header '" + name + "' contains a line break or NUL", "-H",
                            "put each header in its own -H");
        }
    }
}

}  // namespace

void validate_load_settings(const LoadSettings& settings) {
    check_counts(settings);
    check_stop_rule(settings);
    check_timing(settings);
    check_request(settings);
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
