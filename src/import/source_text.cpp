#include "import/source_text.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/files.hpp"

namespace benchctl {

std::string SourceText::location(std::size_t index) const {
    return fmt::format("{}:{}", file, index + 1);
}

void SourceText::fail(std::size_t index, const std::string& what, const std::string& hint) const {
    throw UserError(what, location(index), hint);
}

SourceText make_source_text(std::string file, std::string text) {
    SourceText source{std::move(file), std::move(text), {}};
    std::size_t start = 0;
    while (start < source.text.size()) {
        std::size_t end = source.text.find('\n', start);
        if (end == std::string::npos)
            end = source.text.size();
        std::string line = source.text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        source.lines.push_back(std::move(line));
        start = end + 1;
    }
    return source;
}

SourceText read_source_text(const std::string& path) {
    return make_source_text(path, read_file(path, path));
}

std::string trim_blanks(const std::string& line) {
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos)
        return "";
    const std::size_t last = line.find_last_not_of(" \t");
    return line.substr(first, last - first + 1);
}

}  // namespace benchctl
