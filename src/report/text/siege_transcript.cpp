#include "report/text/siege_transcript.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iterator>

#include "report/text/siege_summary.hpp"

namespace benchctl {

namespace {

// Whole seconds without a fraction ("60"), else as many decimals as needed ("2.5").
std::string seconds_text(std::chrono::nanoseconds duration) {
    return fmt::format("{:g}", std::chrono::duration<double>(duration).count());
}

std::string stop_flag(const LoadSettings& settings) {
    switch (settings.stop_rule) {
        case StopRule::duration:
            return fmt::format("-t {}S", seconds_text(settings.duration));
        case StopRule::iterations:
            return fmt::format("-r {}", settings.iterations);
        case StopRule::requests: {
            const std::uint64_t users = std::max(1U, settings.connections);
            return fmt::format("-r {}", (settings.total_requests + users - 1) / users);
        }
    }
    return {};
}

}  // namespace

std::string siege_command_line(const LoadSettings& settings) {
    std::string line = fmt::format("siege -b -c {} {}", settings.connections, stop_flag(settings));
    if (!settings.url.text.empty())
        line += " " + settings.url.text;
    return line;
}

std::vector<std::string> siege_error_lines(const LoadResult& result, const LoadSettings& settings,
                                           std::size_t limit) {
    const ErrorCounts& e = result.errors;
    const std::string timed_out =
        fmt::format("[alert] socket: read check timed out({}) sock.c:240: Connection timed out",
                    seconds_text(settings.timeout));
    const std::pair<std::uint64_t, std::string> kinds[] = {
        {e.connect, "[error] socket: unable to connect sock.c:249: Connection refused"},
        {e.read,
         "[error] socket: read error Connection reset by peer sock.c:539: Connection reset by "
         "peer"},
        {e.write, "[error] socket: write error Broken pipe"},
        {e.timeout, timed_out},
        {e.parse, "[error] HTTP: unable to parse the response"}};
    std::vector<std::string> lines;
    std::uint64_t left_out = 0;
    for (const auto& [count, line] : kinds) {
        for (std::uint64_t i = 0; i < count; ++i) {
            if (lines.size() < limit)
                lines.push_back(line);
            else
                ++left_out;
        }
    }
    if (left_out != 0)
        lines.push_back(fmt::format("... {} more socket errors", left_out));
    return lines;
}

std::string render_siege_transcript(const LoadDocument& document, std::size_t error_limit) {
    const LoadSettings& settings = document.settings;
    std::string text;
    auto out = std::back_inserter(text);
    fmt::format_to(out, "$ {}\n", siege_command_line(settings));
    fmt::format_to(out, "** SIEGE {}\n", k_siege_layout_version);
    fmt::format_to(out, "** Preparing {} concurrent users for battle.\n", settings.connections);
    // siege prints its error lines right after "under siege..." (no newline of its own), and
    // "\nLifting ...": a blank line after errors, none without.
    text += "The server is now under siege...";
    for (const std::string& line : siege_error_lines(document.result, settings, error_limit))
        text += line + "\n";
    text += "\nLifting the server siege...\n";
    text += render_siege_summary(compute_siege_summary(document));
    return text;
}

}  // namespace benchctl
