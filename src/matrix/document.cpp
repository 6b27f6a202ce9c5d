#include "matrix/document.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "matrix/problem_list.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

// Converts yaml-cpp's tree. `fixed` (for --set values) replaces every node's own location.
class Converter {
  public:
    Converter(std::string file, ProblemList* problems, std::optional<SourceLocation> fixed)
        : m_file(std::move(file)), m_problems(problems), m_fixed(std::move(fixed)) {}

    DocNode convert(const YAML::Node& node) const {
        DocNode out;
        out.where = location(node.Mark());
        switch (node.Type()) {
            case YAML::NodeType::Scalar:
                out.kind = DocNode::Kind::scalar;
                out.scalar = node.Scalar();
                break;
            case YAML::NodeType::Sequence:
                out.kind = DocNode::Kind::list;
                for (const YAML::Node& item : node)
                    out.items.push_back(convert(item));
                break;
            case YAML::NodeType::Map:
                out.kind = DocNode::Kind::map;
                for (const auto& pair : node)
                    add_entry(out, pair.first, pair.second);
                break;
            default:
                break;
        }
        return out;
    }

  private:
    SourceLocation location(const YAML::Mark& mark) const {
        if (m_fixed)
            return *m_fixed;
        return {m_file, mark.line + 1, mark.column + 1};
    }

    void add_entry(DocNode& map, const YAML::Node& key, const YAML::Node& value) const {
        if (!key.IsScalar()) {
            if (m_problems != nullptr) {
                m_problems->add(location(key.Mark()), "a key must be a plain name",
                                "write the key as a word, e.g. threads:");
            }
            return;
        }
        map.entries.push_back({key.Scalar(), location(key.Mark()), convert(value)});
    }

    std::string m_file;
    ProblemList* m_problems;
    std::optional<SourceLocation> m_fixed;
};

}  // namespace

const DocNode* DocNode::find(std::string_view key) const {
    const DocNode* found = nullptr;
    for (const DocEntry& entry : entries) {
        if (entry.key == key)
            found = &entry.value;
    }
    return found;
}

DocNode* DocNode::find(std::string_view key) {
    return const_cast<DocNode*>(static_cast<const DocNode&>(*this).find(key));
}

const char* kind_name(DocNode::Kind kind) {
    switch (kind) {
        case DocNode::Kind::scalar:
            return "a string";
        case DocNode::Kind::list:
            return "a list";
        case DocNode::Kind::map:
            return "a map";
        case DocNode::Kind::null:
            return "nothing";
    }
    return "nothing";
}

std::optional<DocNode> parse_document(const std::string& text, const std::string& file,
                                      ProblemList& problems) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& error) {
        problems.add({file, error.mark.line + 1, error.mark.column + 1},
                     fmt::format("YAML syntax error: {}", error.msg),
                     "check the indentation and quoting here and on the line before");
        return std::nullopt;
    }
    DocNode document = Converter(file, &problems, std::nullopt).convert(root);
    if (document.kind == DocNode::Kind::null) {
        problems.add({file, 1, 1}, "the file holds no settings",
                     "start with 'name:', 'axes:' and 'target:' (see docs/matrix.md)");
        return std::nullopt;
    }
    return document;
}

DocNode parse_override_value(const std::string& text, const SourceLocation& where) {
    if (text.empty() || (text.front() != '[' && text.front() != '{')) {
        DocNode node;
        node.kind = DocNode::Kind::scalar;
        node.scalar = text;
        node.where = where;
        return node;
    }
    try {
        return Converter(where.file, nullptr, where).convert(YAML::Load(text));
    } catch (const YAML::ParserException& error) {
        throw UserError(fmt::format("malformed YAML value: {}", error.msg), where.to_string(),
                        "write a list as [a, b] and a map as {key: value}");
    }
}

}  // namespace benchctl
