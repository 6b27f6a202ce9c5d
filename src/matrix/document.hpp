#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/matrix.hpp"

namespace benchctl {

class ProblemList;
struct DocEntry;

// A YAML value and where it was written, independent of the YAML library: the matrix file's
// tree, and the values given with --set (their location names the --set). Validation, merging
// and overrides work on this tree.
struct DocNode {
    enum class Kind { null, scalar, list, map };

    Kind kind = Kind::null;
    std::string scalar;             // Kind::scalar
    std::vector<DocNode> items;     // Kind::list
    std::vector<DocEntry> entries;  // Kind::map, in document order (duplicates kept)
    SourceLocation where;
    bool unresolved = false;  // a variable in this scalar could not be substituted
    // Kind::scalar written without quotes: YAML reads `5`, `true` and `null` as a number, a
    // boolean and null only then (a json: body keeps those types).
    bool plain = false;

    bool is_scalar() const { return kind == Kind::scalar; }
    bool is_list() const { return kind == Kind::list; }
    bool is_map() const { return kind == Kind::map; }
    // The value of `key` in a map (the last one when repeated), or nullptr.
    const DocNode* find(std::string_view key) const;
    DocNode* find(std::string_view key);
};

// One key of a map and its value.
struct DocEntry {
    std::string key;
    SourceLocation key_where;
    DocNode value;
};

// "a string", "a list", "a map", "nothing" (for messages like "expected a map, got a list").
const char* kind_name(DocNode::Kind kind);

// Parses YAML text into a tree whose locations name `file` (1-based lines and columns). A
// syntax error, an empty document or a key that is not a plain scalar is added to `problems`;
// returns nullopt when there is no usable tree.
std::optional<DocNode> parse_document(const std::string& text, const std::string& file,
                                      ProblemList& problems);

// Reads a --set value: YAML flow ("[sync, async]", "{http: /health}") when it starts with '['
// or '{', else the text itself as a string. Every node's location is `where`. Throws UserError
// naming `where` when flow text is malformed.
DocNode parse_override_value(const std::string& text, const SourceLocation& where);

}  // namespace benchctl
