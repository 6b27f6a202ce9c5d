#include "report/report_options.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return "";
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

}  // namespace

ReportFormat parse_report_format(const std::string& text) {
    if (text == "md" || text == "markdown")
        return ReportFormat::markdown;
    if (text == "csv")
        return ReportFormat::csv;
    if (text == "json")
        return ReportFormat::json;
    if (text == "html")
        return ReportFormat::html;
    std::optional<std::string> close = closest_name(text, {"md", "csv", "json", "html"}, 1);
    throw UserError(fmt::format("unknown report format '{}'", text), "--format",
                    close ? fmt::format("did you mean '{}'? use md, csv, json or html", *close)
                          : "use md, csv, json or html");
}

ReportStyle parse_report_style(const std::string& text, ReportFormat format) {
    if (text.empty())
        return ReportStyle::standard;
    if (format == ReportFormat::markdown) {
        if (text == "wrk")
            return ReportStyle::standard;
        if (text == "siege")
            return ReportStyle::siege;
        if (text == "wrk-commands")
            return ReportStyle::wrk_commands;
        if (text == "rounds")
            return ReportStyle::rounds;
        throw UserError(fmt::format("unknown Markdown style '{}'", text), "--style",
                        "use wrk (the default), wrk-commands, rounds or siege");
    }
    if (format == ReportFormat::json) {
        if (text == "benchctl")
            return ReportStyle::standard;
        if (text == "gunicorn-bench")
            return ReportStyle::gunicorn_bench;
        throw UserError(fmt::format("unknown JSON style '{}'", text), "--style",
                        "use benchctl (the default) or gunicorn-bench");
    }
    const char* name = format == ReportFormat::html ? "HTML" : "CSV";
    throw UserError(fmt::format("{} has no style '{}'", name, text), "--style",
                    fmt::format("leave --style out for {}", name));
}

std::vector<std::string> parse_group_by(const std::string& text) {
    std::vector<std::string> names;
    if (trimmed(text).empty())
        return names;
    std::size_t begin = 0;
    while (true) {
        const std::size_t comma = text.find(',', begin);
        const std::string name = trimmed(text.substr(begin, comma - begin));
        if (name.empty()) {
            throw UserError(fmt::format("empty axis name in '{}'", text), "--group-by",
                            "list axis names separated by commas: server,endpoint");
        }
        names.push_back(name);
        if (comma == std::string::npos)
            break;
        begin = comma + 1;
    }
    return names;
}

}  // namespace benchctl
