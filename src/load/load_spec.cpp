#include "load/load_spec.hpp"

#include <fmt/format.h>

#include "util/cpu_list.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace benchctl {

namespace {

constexpr std::uint64_t k_max_threads_or_connections = 1'000'000;

unsigned parse_bounded_count(const std::string& text, const std::string& where) {
    const std::uint64_t value = parse_count(text, where);
    if (value > k_max_threads_or_connections) {
        throw UserError(fmt::format("{} is too large", text), where,
                        fmt::format("use at most {}", k_max_threads_or_connections));
    }
    return static_cast<unsigned>(value);
}

void set_stop_rule(const LoadSpec& spec, const LoadSettingNames& names, LoadSettings& settings) {
    const int rules = (spec.duration ? 1 : 0) + (spec.requests ? 1 : 0) + (spec.iterations ? 1 : 0);
    if (rules > 1) {
        throw UserError("duration, requests and iterations exclude each other",
                        names.where(spec.requests ? LoadKey::requests : LoadKey::iterations),
                        "keep one of them");
    }
    if (spec.requests) {
        settings.stop_rule = StopRule::requests;
        settings.total_requests = parse_count(*spec.requests, names.where(LoadKey::requests));
    } else if (spec.iterations) {
        settings.stop_rule = StopRule::iterations;
        settings.iterations = parse_count(*spec.iterations, names.where(LoadKey::iterations));
    } else if (spec.duration) {
        settings.duration = parse_duration(*spec.duration, names.where(LoadKey::duration));
    }
}

}  // namespace

Warmup parse_warmup(const std::string& text, const std::string& where) {
    Warmup warmup;
    if (text.find_first_of("smhu") != std::string::npos) {
        warmup.period = parse_duration(text, where);
    } else {
        warmup.requests = parse_count(text, where);
    }
    return warmup;
}

LoadSettings to_load_settings(const LoadSpec& spec, const LoadSettingNames& names) {
    LoadSettings settings;
    settings.url = parse_url(spec.url, names.where(LoadKey::url));
    if (spec.threads)
        settings.threads = parse_bounded_count(*spec.threads, names.where(LoadKey::threads));
    if (spec.connections) {
        settings.connections =
            parse_bounded_count(*spec.connections, names.where(LoadKey::connections));
    }
    set_stop_rule(spec, names, settings);
    if (spec.rate)
        settings.rate_per_sec = parse_rate(*spec.rate, names.where(LoadKey::rate));
    if (spec.timeout)
        settings.timeout = parse_duration(*spec.timeout, names.where(LoadKey::timeout));
    if (spec.warmup)
        settings.warmup = parse_warmup(*spec.warmup, names.where(LoadKey::warmup));
    if (spec.cpus)
        settings.cpus = parse_cpu_list(*spec.cpus, names.where(LoadKey::cpus));
    settings.method = spec.method;
    settings.headers = spec.headers;
    settings.body = spec.body_file.empty()
                        ? spec.body
                        : read_file(spec.body_file, names.where(LoadKey::body_file));
    validate_load_settings(settings, names);
    return settings;
}

}  // namespace benchctl
