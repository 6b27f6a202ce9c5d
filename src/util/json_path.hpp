#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace benchctl {

// Why `path` is not a JSON path benchctl reads, or nullopt when it is one: "$" followed by
// member names (".id", ".items") and array indexes ("[0]"), e.g. "$.items[0].id". Names are
// letters, digits, '_' and '-'.
std::optional<std::string> json_path_problem(std::string_view path);

// The value at `path` (a valid JSON path) in `text` read as one JSON document: a string as it
// is, a number, true/false or an object/array as compact JSON. nullopt when the text is no JSON,
// or the path leads nowhere or to null.
std::optional<std::string> json_path_value(const std::string& text, std::string_view path);

}  // namespace benchctl
