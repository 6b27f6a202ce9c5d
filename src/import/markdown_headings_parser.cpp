#include "import/markdown_headings_parser.hpp"

#include <array>
#include <optional>
#include <set>

#include "import/siege_parser.hpp"
#include "import/wrk_text_parser.hpp"

namespace benchctl {
namespace {

constexpr int k_levels = 6;
constexpr const char* k_missing_label = "(none)";

using HeadingPath = std::array<std::optional<std::string>, k_levels>;

// A stretch of lines under one set of headings.
struct Section {
    HeadingPath path;
    std::size_t begin;
    std::size_t end;
};

std::vector<ImportedCell> cells_in(const SourceText& source, const Section& section) {
    std::vector<ImportedCell> cells = parse_wrk_text(source, section.begin, section.end);
    std::vector<ImportedCell> siege = parse_siege(source, section.begin, section.end);
    cells.insert(cells.end(), std::make_move_iterator(siege.begin()),
                 std::make_move_iterator(siege.end()));
    return cells;
}

// Splits the document at its headings (outside fenced code); counts the "#" headings.
std::vector<Section> split_sections(const SourceText& source, int& title_headings,
                                    std::string& title) {
    std::vector<Section> sections;
    HeadingPath path;
    std::string open_fence;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < source.lines.size(); ++i) {
        const std::string fence = markdown_fence(source.lines[i]);
        if (!fence.empty()) {
            if (open_fence.empty()) {
                open_fence = fence;
            } else if (fence[0] == open_fence[0] && fence.size() >= open_fence.size()) {
                open_fence.clear();
            }
            continue;
        }
        int level = 0;
        std::string text;
        if (!open_fence.empty() || !parse_markdown_heading(source.lines[i], level, text))
            continue;
        sections.push_back({path, begin, i});
        begin = i + 1;
        path[static_cast<std::size_t>(level - 1)] = text;
        for (int deeper = level; deeper < k_levels; ++deeper)
            path[static_cast<std::size_t>(deeper)].reset();
        if (level == 1 && title_headings++ == 0)
            title = text;
    }
    sections.push_back({path, begin, source.lines.size()});
    return sections;
}

}  // namespace

bool parse_markdown_heading(const std::string& line, int& level, std::string& text) {
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent == std::string::npos || indent > 3 || line[indent] != '#')
        return false;
    const std::size_t hashes = line.find_first_not_of('#', indent) == std::string::npos
                                   ? line.size() - indent
                                   : line.find_first_not_of('#', indent) - indent;
    const std::size_t after = indent + hashes;
    if (hashes > k_levels || (after < line.size() && line[after] != ' ' && line[after] != '\t'))
        return false;
    level = static_cast<int>(hashes);
    text = trim_blanks(line.substr(after));
    // A closing sequence of '#'s preceded by a blank is not part of the text.
    const std::size_t closing = text.find_last_not_of('#');
    if (closing == std::string::npos) {
        text.clear();
    } else if (closing + 1 < text.size() && (text[closing] == ' ' || text[closing] == '\t')) {
        text = trim_blanks(text.substr(0, closing));
    }
    return true;
}

std::string markdown_fence(const std::string& line) {
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent == std::string::npos || indent > 3 || (line[indent] != '`' && line[indent] != '~'))
        return "";
    const char marker = line[indent];
    std::size_t length = 0;
    while (indent + length < line.size() && line[indent + length] == marker)
        ++length;
    return length >= 3 ? std::string(length, marker) : "";
}

ImportedDocument parse_markdown_headings_file(const SourceText& source) {
    int title_headings = 0;
    std::string title;
    const std::vector<Section> sections = split_sections(source, title_headings, title);
    const int first_level = title_headings == 1 ? 2 : 1;
    std::vector<std::pair<const Section*, ImportedCell>> found;
    std::set<int> levels;
    for (const Section& section : sections) {
        for (ImportedCell& cell : cells_in(source, section)) {
            for (int level = first_level; level <= k_levels; ++level) {
                if (section.path[static_cast<std::size_t>(level - 1)])
                    levels.insert(level);
            }
            found.emplace_back(&section, std::move(cell));
        }
    }
    if (found.empty()) {
        source.fail(0, "no wrk or siege summary in the Markdown document",
                    "the cells' output goes under the headings that name them, as wrk prints it "
                    "('Running <duration> test @ <url>' ...)");
    }
    ImportedDocument document;
    document.title = title_headings == 1 ? title : "";
    for (const int level : levels)
        document.axis_names.push_back("h" + std::to_string(level));
    for (auto& [section, cell] : found) {
        for (const int level : levels) {
            const auto& heading = section->path[static_cast<std::size_t>(level - 1)];
            cell.labels.push_back(heading ? *heading : k_missing_label);
        }
        document.cells.push_back(std::move(cell));
    }
    return document;
}

}  // namespace benchctl
