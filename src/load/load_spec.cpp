#include "load/load_spec.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>

#include "load/placeholder.hpp"
#include "load/request_compiler.hpp"
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

bool parse_switch(const std::string& text, const LoadSettingNames& names, LoadKey key) {
    if (text != "true" && text != "false") {
        throw UserError(fmt::format("malformed {} '{}'", names.name(key), text), names.where(key),
                        "use true or false");
    }
    return text == "true";
}

std::uint64_t parse_seed(const std::string& text, const LoadSettingNames& names) {
    std::uint64_t seed = 0;
    auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (text.empty() || code != std::errc() || end != text.data() + text.size()) {
        throw UserError(fmt::format("malformed seed '{}'", text), names.where(LoadKey::seed),
                        "use a whole number from 0 to 18446744073709551615");
    }
    return seed;
}

// The URL with its placeholders masked, so that its syntax is checked around them; they may
// stand in the path and query only.
Url parse_templated_url(const LoadSpec& spec, const LoadSettingNames& names) {
    Url url = parse_url(mask_placeholders(spec.url, "x"), names.where(LoadKey::url));
    if (has_placeholder(url_origin_text(spec.url))) {
        throw UserError(fmt::format("URL '{}' has a placeholder before its path", spec.url),
                        names.where(LoadKey::url),
                        "placeholders may stand in the path and the query, not the host or port");
    }
    url.text = spec.url;
    return url;
}

std::string resolve_path(const std::string& base, const std::string& path) {
    std::filesystem::path file(path);
    if (file.is_relative() && !base.empty())
        file = std::filesystem::path(base) / file;
    return file.string();
}

// The fixed request's method, headers and body, as LoadSettings keeps them.
void set_fixed_request(const LoadSpec& spec, const LoadSettingNames& names,
                       LoadSettings& settings) {
    const RequestSpec& request = spec.request;
    if (request.method)
        settings.method = request.method->text;
    for (const auto& [name, value] : request.headers)
        settings.headers.emplace_back(name, value.text);
    if (request.body_kind == BodyKind::raw) {
        settings.body = request.body.text;
    } else if (request.body_kind == BodyKind::file) {
        settings.body = read_file(resolve_path(spec.base_directory, request.body.text),
                                  names.where(LoadKey::body_file));
    }
}

void compile_model(const LoadSpec& spec, DataSetCache* cache, LoadSettings& settings) {
    DataSetCache own_cache;
    std::vector<SpecProblem> problems;
    settings.requests = compile_request_model(spec, settings.url, settings.keepalive,
                                              cache != nullptr ? *cache : own_cache, problems);
    if (!problems.empty()) {
        const SpecProblem& first = problems.front();
        std::string hint = first.hint;
        if (problems.size() > 1)
            hint += fmt::format(" ({} more problem{})", problems.size() - 1,
                                problems.size() == 2 ? "" : "s");
        throw SpecError(first.where, first.what, hint);
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

namespace {

// Where the URL's path (or query, or fragment) begins; its length when it has none.
std::size_t authority_end(const std::string& url) {
    const std::size_t scheme = url.find("://");
    const std::size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
    const std::size_t end = url.find_first_of("/?#", authority);
    return end == std::string::npos ? url.size() : end;
}

}  // namespace

std::string url_origin_text(const std::string& url) {
    return url.substr(0, authority_end(url));
}

std::string url_target_text(const std::string& url) {
    const std::size_t end = authority_end(url);
    if (end == url.size())
        return "/";
    std::string target = url.substr(end);
    const std::size_t fragment = target.find('#');
    if (fragment != std::string::npos)
        target.erase(fragment);
    if (target.empty() || target[0] != '/')
        return "/" + target;
    return target;
}

LoadSettings to_load_settings(const LoadSpec& spec, const LoadSettingNames& names,
                              DataSetCache* cache) {
    LoadSettings settings;
    settings.url = parse_templated_url(spec, names);
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
    if (spec.keepalive)
        settings.keepalive = parse_switch(*spec.keepalive, names, LoadKey::keepalive);
    if (spec.seed)
        settings.seed = parse_seed(*spec.seed, names);
    if (spec.latency)
        settings.print_latency_distribution = parse_switch(*spec.latency, names, LoadKey::latency);
    set_fixed_request(spec, names, settings);
    if (needs_request_model(spec))
        compile_model(spec, cache, settings);
    validate_load_settings(settings, names);
    return settings;
}

void for_each_spec_text(LoadSpec& spec, const std::function<void(std::string&)>& visit) {
    visit(spec.url);
    for (auto* field : {&spec.threads, &spec.connections, &spec.duration, &spec.requests,
                        &spec.iterations, &spec.rate, &spec.timeout, &spec.warmup, &spec.keepalive,
                        &spec.seed, &spec.latency, &spec.cpus}) {
        if (*field)
            visit(**field);
    }
    for (auto& [name, value] : spec.vars)
        visit(value.text);
    for (DataSetSpec& set : spec.data)
        visit(set.file.text);
    for_each_request_text(spec.request, visit);
    for (RequestSpec& entry : spec.entries)
        for_each_request_text(entry, visit);
}

}  // namespace benchctl
