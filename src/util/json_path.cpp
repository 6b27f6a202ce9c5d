#include "util/json_path.hpp"

#include <cctype>
#include <nlohmann/json.hpp>
#include <variant>
#include <vector>

namespace benchctl {

namespace {

using Part = std::variant<std::string, std::size_t>;  // a member name or an index

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

// The parts of `path`, or the problem as a string in `problem`.
std::vector<Part> parse(std::string_view path, std::string& problem) {
    std::vector<Part> parts;
    if (path.empty() || path[0] != '$') {
        problem = "a JSON path starts with '$'";
        return parts;
    }
    std::size_t i = 1;
    while (i < path.size()) {
        if (path[i] == '.') {
            std::size_t end = i + 1;
            while (end < path.size() && is_name_char(path[end]))
                ++end;
            if (end == i + 1) {
                problem = "a '.' must be followed by a member name";
                return parts;
            }
            parts.emplace_back(std::string(path.substr(i + 1, end - i - 1)));
            i = end;
        } else if (path[i] == '[') {
            std::size_t end = path.find(']', i);
            std::string_view digits =
                path.substr(i + 1, end == std::string_view::npos ? 0 : end - i - 1);
            if (end == std::string_view::npos || digits.empty() || digits.size() > 9 ||
                digits.find_first_not_of("0123456789") != std::string_view::npos) {
                problem = "'[' must hold an array index like [0]";
                return parts;
            }
            parts.emplace_back(static_cast<std::size_t>(std::stoul(std::string(digits))));
            i = end + 1;
        } else {
            problem = "unexpected '" + std::string(1, path[i]) + "'";
            return parts;
        }
    }
    return parts;
}

}  // namespace

std::optional<std::string> json_path_problem(std::string_view path) {
    std::string problem;
    parse(path, problem);
    if (problem.empty())
        return std::nullopt;
    return problem;
}

std::optional<std::string> json_path_value(const std::string& text, std::string_view path) {
    std::string problem;
    const std::vector<Part> parts = parse(path, problem);
    if (!problem.empty())
        return std::nullopt;
    const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded())
        return std::nullopt;
    const nlohmann::json* at = &document;
    for (const Part& part : parts) {
        if (const auto* name = std::get_if<std::string>(&part)) {
            if (!at->is_object() || !at->contains(*name))
                return std::nullopt;
            at = &(*at)[*name];
        } else {
            const std::size_t index = std::get<std::size_t>(part);
            if (!at->is_array() || index >= at->size())
                return std::nullopt;
            at = &(*at)[index];
        }
    }
    if (at->is_null())
        return std::nullopt;
    return at->is_string() ? at->get<std::string>() : at->dump();
}

}  // namespace benchctl
