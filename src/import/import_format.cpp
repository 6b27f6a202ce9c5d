#include "import/import_format.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "import/gunicorn_bench_parser.hpp"
#include "import/markdown_headings_parser.hpp"
#include "import/siege_parser.hpp"
#include "import/wrk_text_parser.hpp"
#include "util/error.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {
namespace {

struct FormatName {
    const char* name;
    ImportFormat format;
};

constexpr FormatName k_names[] = {
    {"wrk", ImportFormat::wrk},
    {"siege", ImportFormat::siege},
    {"gunicorn-bench", ImportFormat::gunicorn_bench},
    {"markdown", ImportFormat::markdown},
    {"wrk-text", ImportFormat::wrk},
    {"gunicorn", ImportFormat::gunicorn_bench},
    {"md", ImportFormat::markdown},
};

bool looks_like_gunicorn_bench(const SourceText& source) {
    const std::optional<std::size_t> start = json_start_line(source);
    if (!start)
        return false;
    std::size_t offset = 0;
    for (std::size_t i = 0; i < *start; ++i)
        offset = source.text.find('\n', offset) + 1;
    const nlohmann::json doc =
        nlohmann::json::parse(source.text.substr(offset), nullptr, /*allow_exceptions=*/false);
    return doc.is_object() && doc.contains("results") && doc["results"].is_array();
}

bool has_summary_line(const SourceText& source, bool (*is_start)(const std::string&)) {
    for (const std::string& line : source.lines) {
        if (is_start(line))
            return true;
    }
    return false;
}

bool has_heading(const SourceText& source) {
    std::string open_fence;
    for (const std::string& line : source.lines) {
        const std::string fence = markdown_fence(line);
        if (!fence.empty()) {
            open_fence = open_fence.empty() ? fence : "";
            continue;
        }
        int level = 0;
        std::string text;
        if (open_fence.empty() && parse_markdown_heading(line, level, text))
            return true;
    }
    return false;
}

}  // namespace

std::optional<ImportFormat> find_import_format(const std::string& text) {
    for (const FormatName& entry : k_names) {
        if (text == entry.name)
            return entry.format;
    }
    return std::nullopt;
}

const std::vector<std::string>& import_format_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const FormatName& entry : k_names)
            all.emplace_back(entry.name);
        return all;
    }();
    return names;
}

ImportFormat parse_import_format(const std::string& text, const std::string& where) {
    if (const auto format = find_import_format(text))
        return *format;
    throw UserError(fmt::format("unknown import format '{}'", text), where,
                    unknown_name_hint(text, import_format_names(), "formats"));
}

ImportFormat detect_import_format(const SourceText& source) {
    if (looks_like_gunicorn_bench(source))
        return ImportFormat::gunicorn_bench;
    const bool wrk = has_summary_line(source, is_wrk_start_line);
    const bool siege = has_summary_line(source, is_siege_start_line);
    if ((wrk || siege) && has_heading(source))
        return ImportFormat::markdown;
    if (wrk)
        return ImportFormat::wrk;
    if (siege)
        return ImportFormat::siege;
    throw UserError("cannot tell what benchmark output this file holds", source.file,
                    "found no wrk summary ('Running <duration> test @'), siege summary "
                    "('Transactions: <n> hits'), gunicorn-bench JSON or Markdown headings over "
                    "them; name the format: benchctl import wrk|siege|gunicorn-bench|markdown "
                    "FILE...");
}

ImportedDocument parse_import_source(const SourceText& source, ImportFormat format) {
    switch (format) {
        case ImportFormat::wrk:
            return parse_wrk_text_file(source);
        case ImportFormat::siege:
            return parse_siege_file(source);
        case ImportFormat::gunicorn_bench:
            return parse_gunicorn_bench_file(source);
        case ImportFormat::markdown:
            return parse_markdown_headings_file(source);
    }
    return parse_wrk_text_file(source);
}

}  // namespace benchctl
