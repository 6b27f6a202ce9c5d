#include "load/request_compiler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "load/placeholder.hpp"
#include "load/request_render.hpp"
#include "util/files.hpp"
#include "util/name_suggestion.hpp"
#include "util/text_pattern.hpp"

namespace benchctl {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// A var, capture or data set name: letters, digits, '_' and '-', not starting with a digit.
bool is_name(std::string_view text) {
    return !text.empty() && !(text[0] >= '0' && text[0] <= '9') &&
           text.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
               std::string_view::npos;
}

std::string resolve_path(const std::string& base, const std::string& path) {
    std::filesystem::path file(path);
    if (file.is_relative() && !base.empty())
        file = std::filesystem::path(base) / file;
    return file.lexically_normal().string();
}

bool has_body(const RequestSpec& request) {
    return request.body_kind != BodyKind::none;
}

std::string lowercase(std::string_view text) {
    std::string lower(text);
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

// RFC 8259's number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view text) {
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9')
            ++i;
        return i > start;
    };
    if (i < text.size() && text[i] == '-')
        ++i;
    if (i < text.size() && text[i] == '0') {
        ++i;
    } else if (!digits()) {
        return false;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == text.size();
}

// A plain YAML scalar's JSON token under YAML 1.2's core schema (null, booleans, numbers in
// JSON's own syntax), or nullopt for a string.
std::optional<std::string> plain_json_token(std::string_view text) {
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
        return "null";
    if (text == "true" || text == "True" || text == "TRUE")
        return "true";
    if (text == "false" || text == "False" || text == "FALSE")
        return "false";
    if (is_json_number(text))
        return std::string(text);
    return std::nullopt;
}

// Compiles one spec into a model, collecting every problem.
class ModelCompiler {
  public:
    ModelCompiler(const LoadSpec& spec, const Url& url, bool keepalive, DataSetCache& cache,
                  std::vector<SpecProblem>& problems)
        : m_spec(spec), m_url(url), m_cache(cache), m_problems(problems) {
        m_model.shape = spec.shape;
        m_model.keepalive = keepalive;
    }

    std::shared_ptr<const RequestModel> compile() {
        const std::size_t before = m_problems.size();
        check_vars();
        load_data();
        check_top_level();
        collect_captures();
        m_scope.vars = &m_spec.vars;
        m_scope.captured_before.assign(m_model.captures.size(), false);
        if (m_spec.shape == RequestShape::single) {
            m_model.requests.push_back(compile_request(m_spec.request, 0));
        } else {
            compile_entries();
        }
        if (m_problems.size() != before)
            return nullptr;
        return std::make_shared<const RequestModel>(std::move(m_model));
    }

  private:
    void problem(const SourceLocation& where, std::string what, std::string hint) {
        m_problems.push_back({where, std::move(what), std::move(hint)});
    }

    std::vector<std::string> taken_names() const {
        std::vector<std::string> names(std::begin(k_builtin_placeholders),
                                       std::end(k_builtin_placeholders));
        names.emplace_back("random");
        return names;
    }

    void check_vars() {
        for (const auto& [name, value] : m_spec.vars) {
            const std::vector<std::string> builtins = taken_names();
            if (!is_name(name)) {
                problem(value.where, fmt::format("malformed var name '{}'", name),
                        "use letters, digits, '_' and '-', starting with a letter");
            } else if (std::find(builtins.begin(), builtins.end(), name) != builtins.end()) {
                problem(value.where, fmt::format("var '{}' has the name of a built-in", name),
                        "seq, uuid, connection and random are taken; choose another name");
            }
            if (has_placeholder(value.text)) {
                problem(value.where, fmt::format("var '{}' holds a placeholder", name),
                        "a var is plain text; write the placeholder where the var is used");
            }
        }
    }

    void load_data() {
        for (const DataSetSpec& set : m_spec.data) {
            m_scope.data.push_back({set.name, nullptr});
            ModelDataSet data{set.name, set.file.text, PickMode::random, nullptr};
            if (!is_name(set.name)) {
                problem(set.where, fmt::format("malformed data set name '{}'", set.name),
                        "use letters, digits, '_' and '-', starting with a letter");
            }
            if (set.pick) {
                if (auto mode = parse_pick_mode(set.pick->text)) {
                    data.pick = *mode;
                } else {
                    problem(set.pick->where, fmt::format("unknown pick '{}'", set.pick->text),
                            unknown_name_hint(set.pick->text, {"random", "sequential", "unique"},
                                              "use one of"));
                }
            }
            std::optional<DataFormat> format =
                data_format(set.format ? set.format->text : "", set.file.text);
            if (!format) {
                problem(set.format ? set.format->where : set.file.where,
                        set.format ? fmt::format("unknown data format '{}'", set.format->text)
                                   : fmt::format("cannot tell the format of data file '{}'",
                                                 set.file.text),
                        "name a .csv, .jsonl or .ndjson file, or add format: csv (or jsonl)");
            } else if (set.file.text.find("${") == std::string::npos) {
                load_rows(set, *format, data);
            }
            m_model.data.push_back(std::move(data));
        }
    }

    void load_rows(const DataSetSpec& set, DataFormat format, ModelDataSet& data) {
        try {
            data.rows = m_cache.get(resolve_path(m_spec.base_directory, set.file.text), format,
                                    set.file.where);
            m_scope.data.back().set = data.rows.get();
        } catch (const SpecError& error) {
            problem(error.location(), error.what(), error.hint());
        }
    }

    void check_top_level() {
        const RequestSpec& top = m_spec.request;
        if (m_spec.shape != RequestShape::single && has_body(top)) {
            problem(top.body.where,
                    fmt::format("a body at the top level does not apply to a {}",
                                request_shape_name(m_spec.shape)),
                    "give each entry that sends one its own body, form or json");
        }
        if (!top.captures.empty()) {
            problem(top.captures.front().where, "capture applies to the steps of a sequence",
                    "move it into the sequence step whose response holds the value");
        }
    }

    // Every capture name of the sequence gets a slot, so that a use before the step that
    // captures it can name that step.
    void collect_captures() {
        for (const RequestSpec& entry : m_spec.entries) {
            for (const CaptureSpec& capture : entry.captures) {
                if (m_spec.shape != RequestShape::sequence) {
                    problem(capture.where, "capture applies to the steps of a sequence",
                            "use sequence: instead of mix: to pass values between requests");
                    continue;
                }
                check_capture_name(capture);
                if (std::find(m_model.captures.begin(), m_model.captures.end(), capture.name) ==
                    m_model.captures.end()) {
                    m_model.captures.push_back(capture.name);
                    m_scope.captures.push_back(capture.name);
                    m_scope.capture_steps.push_back(entry.name ? entry.name->text : "?");
                }
            }
        }
    }

    void check_capture_name(const CaptureSpec& capture) {
        const std::vector<std::string> builtins = taken_names();
        bool clash = std::find(builtins.begin(), builtins.end(), capture.name) != builtins.end();
        for (const auto& [var, value] : m_spec.vars)
            clash = clash || var == capture.name;
        if (!is_name(capture.name)) {
            problem(capture.where, fmt::format("malformed capture name '{}'", capture.name),
                    "use letters, digits, '_' and '-', starting with a letter");
        } else if (clash) {
            problem(capture.where,
                    fmt::format("capture '{}' has the name of a var or a built-in", capture.name),
                    "choose another name, so that {{" + capture.name + "}} means one thing");
        }
    }

    void compile_entries() {
        std::vector<std::string> names;
        if (m_spec.entries.empty()) {
            problem(m_spec.request.where,
                    fmt::format("the {} has no entry", request_shape_name(m_spec.shape)),
                    "list at least one request with a name and a path");
        }
        for (std::size_t i = 0; i < m_spec.entries.size(); ++i) {
            const RequestSpec& entry = m_spec.entries[i];
            check_entry_name(entry, names);
            m_model.requests.push_back(compile_request(entry, i));
            for (const CaptureSpec& capture : entry.captures) {
                auto slot =
                    std::find(m_model.captures.begin(), m_model.captures.end(), capture.name);
                if (slot != m_model.captures.end())
                    m_scope.captured_before[static_cast<std::size_t>(
                        slot - m_model.captures.begin())] = true;
            }
        }
        if (m_spec.shape == RequestShape::sequence) {
            for (const CompiledRequest& step : m_model.requests) {
                for (std::uint32_t set : step.data_sets) {
                    auto& sets = m_model.sequence_data_sets;
                    if (std::find(sets.begin(), sets.end(), set) == sets.end())
                        sets.push_back(set);
                }
            }
        }
    }

    void check_entry_name(const RequestSpec& entry, std::vector<std::string>& names) {
        const char* noun = m_spec.shape == RequestShape::mix ? "mix entry" : "sequence step";
        if (!entry.name || entry.name->text.empty()) {
            problem(entry.where, fmt::format("a {} needs a name", noun),
                    "add name: (the report keeps its figures under that name)");
            return;
        }
        if (std::find(names.begin(), names.end(), entry.name->text) != names.end()) {
            problem(entry.name->where, fmt::format("two entries are named '{}'", entry.name->text),
                    "give each its own name: the report keeps figures by name");
        }
        names.push_back(entry.name->text);
    }

    CompiledRequest compile_request(const RequestSpec& entry, std::size_t position) {
        const RequestSpec& top = m_spec.request;
        CompiledRequest request;
        request.name =
            entry.name
                ? entry.name->text
                : (m_spec.shape == RequestShape::single ? "request" : std::to_string(position + 1));
        compile_weight(entry, request);
        const SpecText method = entry.method ? *entry.method
                                : top.method ? *top.method
                                             : SpecText{"GET", top.where};
        request.method = compile_template(method, Escape::header, Escape::raw, m_scope, m_problems);
        compile_method_facts(method, request);
        const SpecText target =
            entry.path ? *entry.path : SpecText{url_target_text(m_spec.url), m_spec.url_where};
        if (entry.path && (entry.path->text.empty() || entry.path->text[0] != '/')) {
            problem(entry.path->where,
                    fmt::format("path '{}' does not start with '/'", entry.path->text),
                    "write the path and query of the request: /items?page=2");
        }
        request.target = compile_template(target, Escape::url, Escape::raw, m_scope, m_problems);
        request.head = compile_head(entry, request);
        request.body = compile_body(entry);
        compile_expect(entry.expect_status.empty() ? top.expect_status : entry.expect_status,
                       request);
        compile_captures(entry, request);
        for (const TextTemplate* part :
             {&request.method, &request.target, &request.head, &request.body}) {
            part->add_data_sets_used(request.data_sets);
            request.uses_seq = request.uses_seq || part->uses(SlotKind::seq);
            request.uses_uuid = request.uses_uuid || part->uses(SlotKind::uuid);
        }
        request.fixed = render_fixed_request(request);
        return request;
    }

    void compile_weight(const RequestSpec& entry, CompiledRequest& request) {
        if (!entry.weight)
            return;
        if (m_spec.shape != RequestShape::mix) {
            problem(entry.weight->where, "weight applies to the entries of a mix",
                    "remove it; a sequence sends every step in turn");
            return;
        }
        const std::string& text = entry.weight->text;
        double weight = 0;
        auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), weight);
        if (code != std::errc() || end != text.data() + text.size() || !std::isfinite(weight) ||
            weight <= 0) {
            problem(entry.weight->where, fmt::format("weight '{}' is not a positive number", text),
                    "write a number above 0, such as 3 or 0.5; weights are shares of the mix");
            return;
        }
        request.weight = weight;
    }

    void compile_method_facts(const SpecText& method, CompiledRequest& request) {
        request.method_varies = !request.method.is_literal();
        if (request.method_varies)
            return;
        const std::string text = request.method.literal_text();
        if (!is_token(text)) {
            problem(method.where, fmt::format("method '{}' is not an HTTP token", text),
                    "use a method name such as GET or POST");
        }
        request.expect_body = text != "HEAD";
        request.always_content_length = text == "POST" || text == "PUT" || text == "PATCH";
    }

    // The headers of the top level, then the entry's (which replace the top level's of the same
    // name), with Host first and the Content-Type and Connection the body and keepalive imply.
    TextTemplate compile_head(const RequestSpec& entry, const CompiledRequest&) {
        std::vector<const std::pair<std::string, SpecText>*> headers;
        const bool inherit = &entry != &m_spec.request;
        if (inherit) {
            for (const auto& header : m_spec.request.headers) {
                bool replaced = std::any_of(
                    entry.headers.begin(), entry.headers.end(),
                    [&](const auto& own) { return equals_ignoring_case(own.first, header.first); });
                if (!replaced)
                    headers.push_back(&header);
            }
        }
        for (const auto& header : entry.headers)
            headers.push_back(&header);
        TextTemplate head;
        head.add_literal("Host: ");
        const SpecText* host = nullptr;
        bool has_type = false, has_connection = false;
        for (const auto* header : headers) {
            if (equals_ignoring_case(header->first, "Host"))
                host = &header->second;
            has_type = has_type || equals_ignoring_case(header->first, "Content-Type");
            has_connection = has_connection || equals_ignoring_case(header->first, "Connection");
        }
        if (host != nullptr) {
            head.append(
                compile_template(*host, Escape::header, Escape::header, m_scope, m_problems));
        } else {
            head.add_literal(m_url.host_header);
        }
        head.add_literal("\r\n");
        for (const auto* header : headers) {
            const auto& [name, value] = *header;
            if (equals_ignoring_case(name, "Host") || equals_ignoring_case(name, "Content-Length"))
                continue;
            if (!is_token(name)) {
                problem(value.where, fmt::format("header name '{}' is not an HTTP token", name),
                        "write header names as HTTP tokens (letters, digits, '-')");
            }
            head.add_literal(name + ": ");
            head.append(
                compile_template(value, Escape::header, Escape::header, m_scope, m_problems));
            head.add_literal("\r\n");
        }
        if (!has_type && entry.body_kind == BodyKind::form)
            head.add_literal("Content-Type: application/x-www-form-urlencoded\r\n");
        if (!has_type && entry.body_kind == BodyKind::json)
            head.add_literal("Content-Type: application/json\r\n");
        if (!m_model.keepalive && !has_connection)
            head.add_literal("Connection: close\r\n");
        return head;
    }

    TextTemplate compile_body(const RequestSpec& entry) {
        TextTemplate body;
        switch (entry.body_kind) {
            case BodyKind::none:
                break;
            case BodyKind::raw:
                body = compile_template(entry.body, Escape::raw, Escape::raw, m_scope, m_problems);
                break;
            case BodyKind::file:
                // A file's bytes are sent as they are: it may be binary, or hold "{{" of its own.
                try {
                    body.add_literal(read_file(resolve_path(m_spec.base_directory, entry.body.text),
                                               entry.body.where.to_string()));
                } catch (const UserError& error) {
                    problem(entry.body.where,
                            fmt::format("body_file '{}' cannot be read", entry.body.text),
                            "a relative path starts at the directory of the file that names it");
                }
                break;
            case BodyKind::form:
                compile_form(entry, body);
                break;
            case BodyKind::json:
                add_json(entry.json, body);
                break;
        }
        return body;
    }

    void compile_form(const RequestSpec& entry, TextTemplate& body) {
        std::string key;
        for (std::size_t i = 0; i < entry.form.size(); ++i) {
            key.clear();
            if (i > 0)
                key.push_back('&');
            append_escaped(key, entry.form[i].first, Escape::form);
            key.push_back('=');
            body.add_literal(key);
            body.append(compile_template(entry.form[i].second, Escape::form, Escape::form, m_scope,
                                         m_problems));
        }
    }

    void add_json(const JsonSpec& node, TextTemplate& out) {
        switch (node.kind) {
            case JsonSpec::Kind::null:
                out.add_literal("null");
                break;
            case JsonSpec::Kind::plain:
                if (auto token = plain_json_token(node.scalar.text)) {
                    out.add_literal(*token);
                } else {
                    add_json_string(node.scalar, out);
                }
                break;
            case JsonSpec::Kind::string:
                add_json_string(node.scalar, out);
                break;
            case JsonSpec::Kind::list:
                out.add_literal("[");
                for (std::size_t i = 0; i < node.items.size(); ++i) {
                    out.add_literal(i == 0 ? "" : ",");
                    add_json(node.items[i], out);
                }
                out.add_literal("]");
                break;
            case JsonSpec::Kind::map:
                add_json_map(node, out);
                break;
        }
    }

    void add_json_map(const JsonSpec& node, TextTemplate& out) {
        std::string key;
        for (std::size_t i = 0; i < node.entries.size(); ++i) {
            key.assign(i == 0 ? "{\"" : ",\"");
            append_escaped(key, node.entries[i].first, Escape::json_string);
            key.append("\":");
            out.add_literal(key);
            add_json(node.entries[i].second, out);
        }
        out.add_literal(node.entries.empty() ? "{}" : "}");
    }

    // A string that is one placeholder is that value in its own JSON type; any other string is a
    // JSON string with each placeholder's value escaped inside it.
    void add_json_string(const SpecText& text, TextTemplate& out) {
        if (is_single_placeholder(text.text)) {
            out.append(
                compile_template(text, Escape::json_value, Escape::raw, m_scope, m_problems));
            return;
        }
        out.add_literal("\"");
        out.append(
            compile_template(text, Escape::json_string, Escape::json_string, m_scope, m_problems));
        out.add_literal("\"");
    }

    void compile_expect(const std::vector<SpecText>& statuses, CompiledRequest& request) {
        for (const SpecText& status : statuses) {
            int value = 0;
            auto [end, code] =
                std::from_chars(status.text.data(), status.text.data() + status.text.size(), value);
            if (code != std::errc() || end != status.text.data() + status.text.size() ||
                value < 100 || value > 599) {
                problem(status.where, fmt::format("malformed status '{}'", status.text),
                        "use an HTTP status from 100 to 599");
                continue;
            }
            request.expect_status.push_back(value);
        }
    }

    void compile_captures(const RequestSpec& entry, CompiledRequest& request) {
        if (m_spec.shape != RequestShape::sequence)
            return;
        for (const CaptureSpec& capture : entry.captures) {
            CaptureRule rule;
            rule.name = capture.name;
            rule.source = capture.source;
            auto slot = std::find(m_model.captures.begin(), m_model.captures.end(), capture.name);
            rule.slot = static_cast<std::uint32_t>(slot - m_model.captures.begin());
            if (compile_capture_source(capture, request, rule))
                request.captures.push_back(std::move(rule));
        }
    }

    bool compile_capture_source(const CaptureSpec& capture, CompiledRequest& request,
                                CaptureRule& rule) {
        const SpecText& expression = capture.expression;
        switch (capture.source) {
            case CaptureSource::json: {
                std::string error;
                std::optional<JsonPath> path = parse_json_path(expression.text, error);
                if (!path) {
                    problem(expression.where,
                            fmt::format("malformed JSON path '{}'", expression.text),
                            error + "; write $.id, $.item.id or $.items[0].id");
                    return false;
                }
                rule.json_path = request.json_paths.size();
                request.json_paths.push_back(std::move(*path));
                return true;
            }
            case CaptureSource::header:
                if (!is_token(expression.text)) {
                    problem(expression.where,
                            fmt::format("header name '{}' is not an HTTP token", expression.text),
                            "name the response header, such as Location");
                    return false;
                }
                rule.header = lowercase(expression.text);
                return true;
            case CaptureSource::regex:
                try {
                    TextPattern pattern(expression.text);
                } catch (const UserError& error) {
                    problem(expression.where, error.what(),
                            "write a Perl-compatible regex; its first group (...) is the value");
                    return false;
                }
                rule.pattern = request.patterns.size();
                request.patterns.push_back(expression.text);
                return true;
        }
        return false;
    }

    const LoadSpec& m_spec;
    const Url& m_url;
    DataSetCache& m_cache;
    std::vector<SpecProblem>& m_problems;
    RequestModel m_model;
    TemplateScope m_scope;
};

}  // namespace

std::shared_ptr<const DataSet> DataSetCache::get(const std::string& path, DataFormat format,
                                                 const SourceLocation& where) {
    auto key = std::make_pair(path, format);
    auto found = m_sets.find(key);
    if (found != m_sets.end())
        return found->second;
    auto set = std::make_shared<const DataSet>(DataSet::load(path, format, where));
    m_sets.emplace(key, set);
    return set;
}

bool needs_request_model(const LoadSpec& spec) {
    const RequestSpec& top = spec.request;
    bool templated = has_placeholder(spec.url) ||
                     (top.method && has_placeholder(top.method->text)) ||
                     (top.body_kind == BodyKind::raw && has_placeholder(top.body.text));
    for (const auto& [name, value] : top.headers)
        templated = templated || has_placeholder(value.text);
    return templated || !spec.vars.empty() || !spec.data.empty() ||
           spec.shape != RequestShape::single || top.body_kind == BodyKind::form ||
           top.body_kind == BodyKind::json || !top.expect_status.empty() || !top.captures.empty() ||
           (spec.keepalive && *spec.keepalive == "false");
}

std::shared_ptr<const RequestModel> compile_request_model(const LoadSpec& spec, const Url& url,
                                                          bool keepalive, DataSetCache& cache,
                                                          std::vector<SpecProblem>& problems) {
    return ModelCompiler(spec, url, keepalive, cache, problems).compile();
}

}  // namespace benchctl
