#include "matrix/load_spec_settings.hpp"

#include <fmt/format.h>

#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

constexpr std::uint64_t k_max_threads_or_connections = 1'000'000;

unsigned parse_bounded_count(const std::string& text, const std::string& where) {
    std::uint64_t value = parse_count(text, where);
    if (value > k_max_threads_or_connections) {
        throw UserError(fmt::format("{} is too large", text), where,
                        fmt::format("use at most {}", k_max_threads_or_connections));
    }
    return static_cast<unsigned>(value);
}

// "2s", "1.5m" -> a period; "500", "10k" -> a number of requests.
Warmup parse_warmup(const std::string& text, const std::string& where) {
    Warmup warmup;
    if (text.find_first_of("smhu") != std::string::npos) {
        warmup.period = parse_duration(text, where);
    } else {
        warmup.requests = parse_count(text, where);
    }
    return warmup;
}

void set_stop_rule(const LoadSpec& spec, const LoadSettingWhere& where, LoadSettings& settings) {
    int rules = (spec.duration ? 1 : 0) + (spec.requests ? 1 : 0) + (spec.iterations ? 1 : 0);
    if (rules > 1) {
        throw UserError("duration, requests and iterations exclude each other",
                        where(spec.requests ? "requests" : "iterations"), "keep one of them");
    }
    if (spec.requests) {
        settings.stop_rule = StopRule::requests;
        settings.total_requests = parse_count(*spec.requests, where("requests"));
    } else if (spec.iterations) {
        settings.stop_rule = StopRule::iterations;
        settings.iterations = parse_count(*spec.iterations, where("iterations"));
    } else if (spec.duration) {
        settings.duration = parse_duration(*spec.duration, where("duration"));
    }
}

}  // namespace

LoadSettings to_load_settings(const LoadSpec& spec, const LoadSettingWhere& where) {
    LoadSettings settings;
    settings.url = parse_url(spec.url, where("url"));
    if (spec.threads)
        settings.threads = parse_bounded_count(*spec.threads, where("threads"));
    if (spec.connections) {
        settings.connections = parse_bounded_count(*spec.connections, where("connections"));
    }
    set_stop_rule(spec, where, settings);
    if (spec.rate)
        settings.rate_per_sec = parse_rate(*spec.rate, where("rate"));
    if (spec.timeout)
        settings.timeout = parse_duration(*spec.timeout, where("timeout"));
    if (spec.warmup)
        settings.warmup = parse_warmup(*spec.warmup, where("warmup"));
    settings.method = spec.method;
    settings.headers = spec.headers;
    settings.body =
        spec.body_file.empty() ? spec.body : read_file(spec.body_file, where("body_file"));
    validate_load_settings(settings);
    return settings;
}

}  // namespace benchctl
