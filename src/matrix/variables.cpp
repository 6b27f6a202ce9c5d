#include "matrix/variables.hpp"

#include <cstdlib>
#include <stdexcept>

namespace benchctl {

namespace {

constexpr std::string_view k_env_prefix = "env:";

enum class Pass { final, partial };

// Calls on_literal(text) and on_name(name) for the pieces of `text`, in order; "$$" is passed to
// on_escape.
template <typename OnLiteral, typename OnEscape, typename OnName>
void scan(std::string_view text, OnLiteral on_literal, OnEscape on_escape, OnName on_name) {
    std::size_t literal_begin = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '$' || i + 1 == text.size() || (text[i + 1] != '$' && text[i + 1] != '{')) {
            ++i;
            continue;
        }
        on_literal(text.substr(literal_begin, i - literal_begin));
        if (text[i + 1] == '$') {
            on_escape();
            i += 2;
        } else {
            std::size_t close = text.find('}', i + 2);
            if (close == std::string_view::npos) {
                throw std::invalid_argument("'${' without a closing '}'");
            }
            std::string_view name = text.substr(i + 2, close - i - 2);
            if (name.empty())
                throw std::invalid_argument("'${}' names no variable");
            on_name(name);
            i = close + 1;
        }
        literal_begin = i;
    }
    on_literal(text.substr(literal_begin));
}

std::string environment_value(std::string_view name) {
    std::string variable(name.substr(k_env_prefix.size()));
    const char* value = variable.empty() ? nullptr : std::getenv(variable.c_str());
    if (value == nullptr)
        throw std::out_of_range(std::string(name));
    return value;
}

std::string substitute(std::string_view text, const Variables& values, const Variables& keep,
                       Pass pass) {
    std::string out;
    out.reserve(text.size());
    scan(
        text, [&](std::string_view literal) { out += literal; },
        [&] { out += pass == Pass::final ? "$" : "$$"; },
        [&](std::string_view name) {
            if (auto it = values.find(name); it != values.end()) {
                out += it->second;
            } else if (keep.find(name) != keep.end()) {
                out += "${";
                out += name;
                out += '}';
            } else if (name.substr(0, k_env_prefix.size()) == k_env_prefix) {
                std::string value = environment_value(name);
                out += pass == Pass::final ? value : escape_variables(value);
            } else {
                throw std::out_of_range(std::string(name));
            }
        });
    return out;
}

}  // namespace

std::string substitute_variables(std::string_view text, const Variables& values,
                                 const Variables& keep) {
    return substitute(text, values, keep, Pass::final);
}

std::string substitute_variables_partially(std::string_view text, const Variables& values,
                                           const Variables& keep) {
    return substitute(text, values, keep, Pass::partial);
}

std::string escape_variables(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        out += c;
        if (c == '$')
            out += '$';
    }
    return out;
}

std::vector<std::string> variable_names(std::string_view text) {
    std::vector<std::string> names;
    scan(
        text, [](std::string_view) {}, [] {},
        [&](std::string_view name) { names.emplace_back(name); });
    return names;
}

}  // namespace benchctl
