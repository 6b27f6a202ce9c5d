#include "report/text/wrk_command_line.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstring>

namespace benchctl {

namespace {

std::string seconds_flag(std::chrono::nanoseconds duration) {
    return fmt::format("{:g}s", std::chrono::duration<double>(duration).count());
}

// wrk itself can ask for this load: a timed run of bodiless GETs.
bool wrk_can_ask(const LoadSettings& settings) {
    return settings.stop_rule == StopRule::duration && settings.method == "GET" &&
           settings.body.empty();
}

std::string stop_flags(const LoadSettings& settings) {
    switch (settings.stop_rule) {
        case StopRule::duration:
            return "-d " + seconds_flag(settings.duration);
        case StopRule::requests:
            return fmt::format("-n {}", settings.total_requests);
        case StopRule::iterations:
            return fmt::format("--iterations {}", settings.iterations);
    }
    return {};
}

}  // namespace

std::string shell_word(const std::string& text) {
    constexpr const char* k_plain = "@%+=:,./-_";
    bool plain = !text.empty();
    for (const char c : text) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        plain = plain && (alnum || std::strchr(k_plain, c) != nullptr);
    }
    if (plain)
        return text;
    std::string quoted = "'";
    for (const char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string wrk_command_line(const LoadSettings& settings) {
    std::string line = wrk_can_ask(settings) ? "wrk" : "benchctl load";
    line += fmt::format(" {} -t {} -c {}", stop_flags(settings), settings.threads,
                        settings.connections);
    if (settings.rate_per_sec)
        line += fmt::format(" -R {:g}", *settings.rate_per_sec);
    if (settings.timeout != k_default_timeout)
        line += " --timeout " + seconds_flag(settings.timeout);
    for (const auto& [name, value] : settings.headers)
        line += " -H " + shell_word(name + ": " + value);
    if (settings.method != "GET")
        line += " -m " + shell_word(settings.method);
    if (!settings.body.empty())
        line += " --body " + shell_word(settings.body);
    if (settings.print_latency_distribution)
        line += " --latency";
    if (!settings.url.text.empty())
        line += " " + shell_word(settings.url.text);
    return line;
}

}  // namespace benchctl
