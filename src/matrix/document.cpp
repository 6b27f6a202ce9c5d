#include "matrix/document.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <sstream>

#include "matrix/problem_list.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

// Anchors and aliases (&x, *x) copy the anchored value wherever they are used. A few nested
// aliases in a file of under 1 KB can ask for billions of copies (a "billion laughs"), so the
// copies aliases make are counted and bounded.
constexpr std::size_t k_alias_value_limit = 100'000;

// Thrown to stop the parser once a problem makes the rest of the document useless.
struct StopParsing {};

// Builds the located tree from yaml-cpp's parser events (not from YAML::Node, whose aliases share
// one node: walking that graph would expand an alias bomb without bound). `fixed` (for --set
// values) replaces every node's own location.
class TreeBuilder : public YAML::EventHandler {
  public:
    TreeBuilder(std::string file, ProblemList& problems, std::optional<SourceLocation> fixed)
        : m_file(std::move(file)), m_problems(problems), m_fixed(std::move(fixed)) {}

    // The document's root; nullopt when it is empty or parsing stopped.
    std::optional<DocNode> take_root() { return std::move(m_root); }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        finish(leaf(DocNode::Kind::null, mark), 1, anchor);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        DocNode node = leaf(DocNode::Kind::scalar, mark);
        node.scalar = value;
        node.plain = tag == "?";  // yaml-cpp's tag for a plain scalar; "!" for a quoted one
        finish(std::move(node), 1, anchor);
    }

    void OnAnchor(const YAML::Mark&, const std::string& name) override {
        // yaml-cpp numbers anchors 1, 2, 3 ... in the order it meets them.
        m_anchor_names.push_back(name);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto found = m_anchored.find(anchor);
        if (found == m_anchored.end())
            return;  // yaml-cpp reports an undefined alias itself
        const auto& [node, size] = found->second;
        if (m_alias_values + size > k_alias_value_limit)
            report_alias_limit(mark, anchor, size);
        m_alias_values += size;
        finish(node, size, YAML::NullAnchor);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        m_open.push_back({leaf(DocNode::Kind::list, mark), 1, anchor, std::nullopt});
    }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        m_open.push_back({leaf(DocNode::Kind::map, mark), 1, anchor, std::nullopt});
    }

    void OnSequenceEnd() override { close(); }
    void OnMapEnd() override { close(); }

  private:
    // A list or map still being read, with the number of values in it so far.
    struct Open {
        DocNode node;
        std::size_t size;
        YAML::anchor_t anchor;
        std::optional<DocNode> key;  // a map's key, until its value is read
    };

    SourceLocation location(const YAML::Mark& mark) const {
        if (m_fixed)
            return *m_fixed;
        return {m_file, mark.line + 1, mark.column + 1};
    }

    DocNode leaf(DocNode::Kind kind, const YAML::Mark& mark) const {
        DocNode node;
        node.kind = kind;
        node.where = location(mark);
        return node;
    }

    void close() {
        Open done = std::move(m_open.back());
        m_open.pop_back();
        finish(std::move(done.node), done.size, done.anchor);
    }

    // A value is complete: remember it under its anchor and put it in its list or map.
    void finish(DocNode node, std::size_t size, YAML::anchor_t anchor) {
        if (anchor != YAML::NullAnchor)
            m_anchored[anchor] = {node, size};
        if (m_open.empty()) {
            m_root = std::move(node);
            return;
        }
        Open& parent = m_open.back();
        parent.size += size;
        if (parent.node.is_list()) {
            parent.node.items.push_back(std::move(node));
        } else if (!parent.key) {
            parent.key = std::move(node);
        } else {
            add_entry(parent.node, std::move(*parent.key), std::move(node));
            parent.key.reset();
        }
    }

    void add_entry(DocNode& map, DocNode key, DocNode value) {
        if (!key.is_scalar()) {
            m_problems.add(key.where, "a key must be a plain name",
                           "write the key as a word, e.g. threads:");
            return;
        }
        map.entries.push_back({std::move(key.scalar), key.where, std::move(value)});
    }

    [[noreturn]] void report_alias_limit(const YAML::Mark& mark, YAML::anchor_t anchor,
                                         std::size_t size) {
        std::string name = anchor >= 1 && anchor <= m_anchor_names.size()
                               ? "*" + m_anchor_names[anchor - 1]
                               : std::string("this alias");
        m_problems.add(location(mark),
                       fmt::format("aliases repeat more than {} values in all ({} repeats {} "
                                   "here)",
                                   k_alias_value_limit, name, size),
                       "an alias copies its whole anchored value; anchor smaller parts, or write "
                       "the values out");
        throw StopParsing{};
    }

    std::string m_file;
    ProblemList& m_problems;
    std::optional<SourceLocation> m_fixed;
    std::vector<Open> m_open;
    std::optional<DocNode> m_root;
    std::map<YAML::anchor_t, std::pair<DocNode, std::size_t>> m_anchored;
    std::vector<std::string> m_anchor_names;
    std::size_t m_alias_values = 0;  // values copied by aliases so far
};

// Parses the first document of `text`; nullopt when it is empty or a problem stopped parsing.
// Throws YAML::ParserException on a syntax error.
std::optional<DocNode> build_tree(const std::string& text, const std::string& file,
                                  ProblemList& problems, std::optional<SourceLocation> fixed) {
    std::istringstream input(text);
    YAML::Parser parser(input);
    TreeBuilder builder(file, problems, std::move(fixed));
    try {
        parser.HandleNextDocument(builder);
    } catch (const StopParsing&) {
        return std::nullopt;
    }
    return builder.take_root();
}

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
    std::optional<DocNode> document;
    std::size_t problems_before = problems.size();
    try {
        document = build_tree(text, file, problems, std::nullopt);
    } catch (const YAML::DeepRecursion& error) {
        problems.add({file, error.mark.line + 1, error.mark.column + 1},
                     "lists and maps are nested too deeply for the YAML parser",
                     "a matrix file needs a few levels; check the brackets here");
        return std::nullopt;
    } catch (const YAML::ParserException& error) {
        problems.add({file, error.mark.line + 1, error.mark.column + 1},
                     fmt::format("YAML syntax error: {}", error.msg),
                     "check the indentation and quoting here and on the line before");
        return std::nullopt;
    }
    if (problems.size() > problems_before && !document)
        return std::nullopt;  // the alias limit stopped the parser
    if (!document || document->kind == DocNode::Kind::null) {
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
        node.plain = true;  // --set load.json.n=5 means the number, as in the file
        return node;
    }
    ProblemList problems;
    std::optional<DocNode> node;
    try {
        node = build_tree(text, where.file, problems, where);
    } catch (const YAML::ParserException& error) {
        throw UserError(fmt::format("malformed YAML value: {}", error.msg), where.to_string(),
                        "write a list as [a, b] and a map as {key: value}");
    }
    if (!problems.empty()) {
        MatrixProblem first = problems.sorted().front();
        throw UserError(first.what, where.to_string(), first.hint);
    }
    if (!node) {
        node.emplace();
        node->where = where;
    }
    return std::move(*node);
}

}  // namespace benchctl
