#include "load/placeholder.hpp"

#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "load/data_set.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

std::string_view trim(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    const std::size_t last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

bool is_identifier(std::string_view text) {
    return !text.empty() && text.find_first_not_of(
                                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                                "TUVWXYZ0123456789_-") == std::string_view::npos;
}

// A "quoted" text with \" and \\ escapes; nullopt when `text` is not one.
std::optional<std::string> unquote(std::string_view text) {
    if (text.size() < 2 || text.front() != '"' || text.back() != '"')
        return std::nullopt;
    std::string value;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '\\' && i + 2 < text.size())
            ++i;
        else if (text[i] == '"')
            return std::nullopt;
        value.push_back(text[i]);
    }
    return value;
}

// The arguments of a call, split at commas outside quotes, trimmed and unquoted.
std::vector<std::string> split_arguments(std::string_view text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
            quoted = !quoted;
        if (i == text.size() || (text[i] == ',' && !quoted)) {
            std::string_view item = trim(text.substr(start, i - start));
            items.push_back(unquote(item).value_or(std::string(item)));
            start = i + 1;
        }
    }
    return items;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    std::int64_t value = 0;
    if (!text.empty() && text[0] == '+')
        text.remove_prefix(1);
    auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (code != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// Compiles one placeholder's expression into `out`.
class PlaceholderCompiler {
  public:
    PlaceholderCompiler(const SpecText& text, Escape escape, const TemplateScope& scope,
                        std::vector<SpecProblem>& problems, TextTemplate& out)
        : m_text(text), m_escape(escape), m_scope(scope), m_problems(problems), m_out(out) {}

    void compile(std::string_view expression) {
        m_expression = expression;
        expression = trim(expression);
        if (expression.empty())
            return problem("an empty placeholder {{}}",
                           "write {{name}}, or {{\"{{\"}} for a literal {{");
        if (auto literal = unquote(expression))
            return add_value(*literal);
        const std::size_t paren = expression.find('(');
        if (paren != std::string_view::npos)
            return call(trim(expression.substr(0, paren)), expression.substr(paren));
        const std::size_t dot = expression.find('.');
        if (dot != std::string_view::npos)
            return field(expression.substr(0, dot), expression.substr(dot + 1));
        name(expression);
    }

  private:
    void problem(std::string what, std::string hint) {
        m_problems.push_back({m_text.where, std::move(what), std::move(hint)});
    }

    std::string shown() const { return fmt::format("{{{{{}}}}}", m_expression); }

    void add_value(std::string_view value) {
        TextTemplate literal;
        std::string escaped;
        append_escaped(escaped, value, m_escape);
        m_out.add_literal(escaped);
    }

    void add(SlotKind kind, std::uint32_t first = 0, std::uint32_t second = 0) {
        TemplatePart part;
        part.kind = kind;
        part.escape = m_escape;
        part.first = first;
        part.second = second;
        m_out.add_slot(part);
    }

    void call(std::string_view function, std::string_view rest) {
        if (rest.back() != ')') {
            return problem(
                fmt::format("placeholder {} does not end its arguments with ')'", shown()),
                "write random.int(1,100) or random.choice(a,b,c)");
        }
        std::vector<std::string> arguments = split_arguments(rest.substr(1, rest.size() - 2));
        if (function == "random.int")
            return random_int(arguments);
        if (function == "random.choice")
            return random_choice(arguments);
        problem(fmt::format("unknown placeholder function '{}' in {}", function, shown()),
                unknown_name_hint(function, {"random.int", "random.choice"}, "the functions are"));
    }

    void random_int(const std::vector<std::string>& arguments) {
        std::optional<std::int64_t> low, high;
        if (arguments.size() == 2) {
            low = parse_integer(arguments[0]);
            high = parse_integer(arguments[1]);
        }
        if (!low || !high || *low > *high) {
            return problem(fmt::format("{} needs two whole numbers, the smaller first", shown()),
                           "write random.int(1,100) for 1 to 100 inclusive");
        }
        TemplatePart part;
        part.kind = SlotKind::random_int;
        part.escape = m_escape;
        part.low = *low;
        part.high = *high;
        m_out.add_slot(part);
    }

    void random_choice(const std::vector<std::string>& arguments) {
        if (arguments.size() == 1 && arguments[0].empty()) {
            return problem(fmt::format("{} has nothing to choose from", shown()),
                           "list the items: random.choice(GET,HEAD) or random.choice(\"a, b\",c)");
        }
        m_out.add_choice(arguments, m_escape);
    }

    void field(std::string_view set_name, std::string_view field_name) {
        std::vector<std::string> names;
        for (std::size_t i = 0; i < m_scope.data.size(); ++i) {
            const TemplateScope::DataSetRef& ref = m_scope.data[i];
            names.push_back(ref.name);
            if (ref.name != set_name)
                continue;
            if (ref.set == nullptr)
                return;  // the set could not be loaded: reported there
            std::optional<std::size_t> column = ref.set->field_index(field_name);
            if (!column) {
                return problem(fmt::format("data set '{}' has no field '{}' (in {})", set_name,
                                           field_name, shown()),
                               unknown_name_hint(field_name, ref.set->fields(), "its fields are"));
            }
            return add(SlotKind::field, static_cast<std::uint32_t>(i),
                       static_cast<std::uint32_t>(*column));
        }
        problem(fmt::format("unknown data set '{}' in {}", set_name, shown()),
                names.empty()
                    ? "declare it under data: {" + std::string(set_name) + ": {file: FILE.csv}}"
                    : unknown_name_hint(set_name, names, "the data sets are"));
    }

    void name(std::string_view name) {
        if (name == "seq")
            return add(SlotKind::seq);
        if (name == "uuid")
            return add(SlotKind::uuid);
        if (name == "connection")
            return add(SlotKind::connection);
        if (m_scope.vars != nullptr) {
            for (const auto& [var, value] : *m_scope.vars) {
                if (var == name)
                    return add_value(value.text);
            }
        }
        for (std::size_t slot = 0; slot < m_scope.captures.size(); ++slot) {
            if (m_scope.captures[slot] != name)
                continue;
            if (!m_scope.captured_before[slot]) {
                return problem(
                    fmt::format("capture '{}' is used before a step captures it", name),
                    fmt::format("step '{}' captures it; use it in the steps after that one",
                                m_scope.capture_steps[slot]));
            }
            return add(SlotKind::capture, static_cast<std::uint32_t>(slot));
        }
        unknown_name(name);
    }

    void unknown_name(std::string_view name) {
        std::vector<std::string> known(std::begin(k_builtin_placeholders),
                                       std::end(k_builtin_placeholders));
        if (m_scope.vars != nullptr) {
            for (const auto& [var, value] : *m_scope.vars)
                known.push_back(var);
        }
        known.insert(known.end(), m_scope.captures.begin(), m_scope.captures.end());
        std::string hint = closest_name(name, known)
                               ? unknown_name_hint(name, known)
                               : "use a var (vars: {" + std::string(name) +
                                     ": ...}), a capture of an earlier step, seq, uuid, "
                                     "connection, set.field or random.int(a,b)";
        if (!is_identifier(name))
            hint = "write a name, set.field, random.int(a,b) or random.choice(a,b)";
        problem(fmt::format("unknown placeholder {}", shown()), hint);
    }

    const SpecText& m_text;
    Escape m_escape;
    const TemplateScope& m_scope;
    std::vector<SpecProblem>& m_problems;
    TextTemplate& m_out;
    std::string_view m_expression;
};

}  // namespace

TextTemplate compile_template(const SpecText& text, Escape slot_escape, Escape literal_escape,
                              const TemplateScope& scope, std::vector<SpecProblem>& problems) {
    TextTemplate out;
    PlaceholderCompiler compiler(text, slot_escape, scope, problems, out);
    const std::string_view whole = text.text;
    std::size_t pos = 0;
    std::string escaped;
    while (pos < whole.size()) {
        const std::size_t open = whole.find("{{", pos);
        const std::size_t literal_end = open == std::string_view::npos ? whole.size() : open;
        escaped.clear();
        append_escaped(escaped, whole.substr(pos, literal_end - pos), literal_escape);
        out.add_literal(escaped);
        if (open == std::string_view::npos)
            break;
        const std::size_t close = whole.find("}}", open + 2);
        if (close == std::string_view::npos) {
            problems.push_back({text.where,
                                fmt::format("placeholder '{}' is not closed", whole.substr(open)),
                                "end it with }}; write {{\"{{\"}} for a literal {{"});
            break;
        }
        compiler.compile(whole.substr(open + 2, close - open - 2));
        pos = close + 2;
    }
    return out;
}

bool is_single_placeholder(std::string_view text) {
    return text.size() >= 4 && text.substr(0, 2) == "{{" && text.substr(text.size() - 2) == "}}" &&
           text.find("}}") == text.size() - 2;
}

std::string mask_placeholders(std::string_view text, std::string_view with) {
    std::string masked;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find("{{", pos);
        const std::size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            masked += text.substr(pos);
            break;
        }
        masked += text.substr(pos, open - pos);
        masked += with;
        pos = close + 2;
    }
    return masked;
}

bool has_placeholder(std::string_view text) {
    return text.find("{{") != std::string_view::npos;
}

}  // namespace benchctl
