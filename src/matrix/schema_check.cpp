#include "matrix/schema_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <regex>
#include <stdexcept>
#include <unordered_map>

#include "load/load_spec.hpp"
#include "load/placeholder.hpp"
#include "load/url.hpp"
#include "matrix/problem_list.hpp"
#include "matrix/threshold_reader.hpp"
#include "util/cpu_list.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

const std::map<std::string, int, std::less<>>& signals_by_name() {
    static const std::map<std::string, int, std::less<>> signals{
        {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"KILL", SIGKILL},
        {"TERM", SIGTERM}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}};
    return signals;
}

bool all_digits(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// Types whose value is used as text, where run-time variables such as ${port} may stay.
bool accepts_runtime_variables(ValueType type) {
    return type == ValueType::text || type == ValueType::url || type == ValueType::http_path ||
           type == ValueType::regex || type == ValueType::string_list ||
           type == ValueType::string_map;
}

// Runs a util/load parser, turning its UserError into a problem at `where`.
template <typename Parse>
void expect_parses(const SourceLocation& where, ProblemList& problems, Parse parse) {
    try {
        parse();
    } catch (const UserError& error) {
        problems.add(where, error.what(), error.hint());
    }
}

// Checks a scalar's final text against its type.
void check_text(const std::string& text, ValueType type, std::string_view key,
                const SourceLocation& where, ProblemList& problems) {
    auto wrong = [&](std::string hint) {
        problems.add(where, fmt::format("malformed {} '{}'", key, text), std::move(hint));
    };
    switch (type) {
        case ValueType::name:
            if (!is_run_name(text))
                wrong("use lowercase letters, digits, '-' and '_'");
            break;
        case ValueType::integer:
            if (!all_digits(text) || text.size() > 9 || std::stoul(text) == 0) {
                wrong("use a whole number of 1 or more");
            }
            break;
        case ValueType::seed:
            if (!all_digits(text) || text.size() > 20 ||
                (text.size() == 20 && text > "18446744073709551615")) {
                wrong("use a whole number from 0 to 18446744073709551615");
            }
            break;
        case ValueType::status:
            if (!all_digits(text) || text.size() != 3 || text[0] < '1' || text[0] > '5') {
                wrong("use an HTTP status from 100 to 599");
            }
            break;
        case ValueType::boolean:
            if (text != "true" && text != "false")
                wrong("use true or false");
            break;
        case ValueType::duration:
            expect_parses(where, problems, [&] { parse_duration(text, key); });
            break;
        case ValueType::count:
            expect_parses(where, problems, [&] { parse_count(text, key); });
            break;
        case ValueType::rate:
            expect_parses(where, problems, [&] { parse_rate(text, key); });
            break;
        case ValueType::percent:
            expect_parses(where, problems, [&] { parse_core_share(text, key); });
            break;
        case ValueType::cpu_list:
            expect_parses(where, problems, [&] { parse_cpu_list(text, std::string(key)); });
            break;
        case ValueType::warmup:
            expect_parses(where, problems, [&] { parse_warmup(text, std::string(key)); });
            break;
        case ValueType::signal:
            if (!signal_number(text)) {
                problems.add(where, fmt::format("unknown signal '{}'", text),
                             unknown_name_hint(text, signal_names(), "use one of") +
                                 (closest_name(text, signal_names()) ? "" : ", or a number"));
            }
            break;
        case ValueType::http_path:
            if (text.empty() || text[0] != '/')
                wrong("a path starts with '/', e.g. /health");
            break;
        case ValueType::url:
            // {{...}} placeholders may stand in the path and query; the rest must be a URL.
            expect_parses(where, problems, [&] { parse_url(mask_placeholders(text, "x"), key); });
            break;
        case ValueType::regex:
            try {
                std::regex pattern(text);
            } catch (const std::regex_error& error) {
                problems.add(
                    where, fmt::format("malformed regular expression '{}': {}", text, error.what()),
                    "write an ECMAScript regex; escape special characters with '\\'");
            }
            break;
        default:
            break;
    }
}

// The text to check, or nullopt when it must not be checked (yet).
std::optional<std::string> final_text(const DocNode& node, ValueType type, std::string_view key,
                                      ProblemList& problems, const Variables* runtime_examples) {
    if (node.unresolved)
        return std::nullopt;
    if (node.scalar.find('$') == std::string::npos)
        return node.scalar;
    if (runtime_examples == nullptr)
        return std::nullopt;
    try {
        if (accepts_runtime_variables(type))
            return substitute_variables(node.scalar, *runtime_examples);
        return substitute_variables(node.scalar, {});
    } catch (const std::out_of_range& error) {
        problems.add(node.where,
                     fmt::format("${{{}}} is only known at run time and cannot be used in {}",
                                 error.what(), key),
                     fmt::format("write {} here", describe(type)));
    } catch (const std::invalid_argument&) {
        // Reported by the variable check.
    }
    return std::nullopt;
}

void expect_kind(const DocNode& value, DocNode::Kind kind, ValueType type, std::string_view key,
                 ProblemList& problems, bool& ok) {
    ok = value.kind == kind;
    if (!ok) {
        problems.add(
            value.where,
            fmt::format("{} expects {}, got {}", key, describe(type), kind_name(value.kind)),
            type == ValueType::string_list && value.is_scalar()
                ? "write the argv as a list: [program, arg, ...]"
                : "");
    }
}

void check_scalar(const DocNode& value, ValueType type, std::string_view key, ProblemList& problems,
                  const Variables* runtime_examples) {
    bool ok = false;
    expect_kind(value, DocNode::Kind::scalar, type, key, problems, ok);
    if (!ok)
        return;
    if (auto text = final_text(value, type, key, problems, runtime_examples)) {
        check_text(*text, type, key, value.where, problems);
    }
}

void check_list(const DocNode& value, std::string_view key, ProblemList& problems,
                const Variables* runtime_examples) {
    bool ok = false;
    expect_kind(value, DocNode::Kind::list, ValueType::string_list, key, problems, ok);
    if (!ok)
        return;
    if (value.items.empty()) {
        problems.add(value.where, fmt::format("{} is an empty list", key),
                     key == "command" || key == "version"
                         ? "name the program and its arguments: [program, arg, ...]"
                         : "list at least one value, or remove the key");
    }
    for (const DocNode& item : value.items) {
        check_scalar(item, ValueType::string_list, key, problems, runtime_examples);
    }
}

void check_string_map(const DocNode& value, std::string_view key, ProblemList& problems,
                      const Variables* runtime_examples) {
    bool ok = false;
    expect_kind(value, DocNode::Kind::map, ValueType::string_map, key, problems, ok);
    if (!ok)
        return;
    check_duplicate_keys(value, problems);
    for (const DocEntry& entry : value.entries) {
        std::string name = fmt::format("{}.{}", key, entry.key);
        if (entry.value.kind == DocNode::Kind::null) {
            problems.add(entry.value.where, fmt::format("{} has no value", name),
                         "write a string, or \"\" for an empty one");
            continue;
        }
        check_scalar(entry.value, ValueType::text, name, problems, runtime_examples);
    }
}

void check_exclusive_groups(const DocNode& map, ProblemList& problems) {
    for (const ExclusiveGroup& group : exclusive_groups()) {
        const DocEntry* first = nullptr;
        for (const DocEntry& entry : map.entries) {
            bool in_group =
                std::find(group.keys.begin(), group.keys.end(), entry.key) != group.keys.end();
            if (!in_group)
                continue;
            if (first == nullptr) {
                first = &entry;
            } else if (entry.key != first->key) {
                problems.add(entry.key_where,
                             fmt::format("'{}' and '{}' exclude each other", first->key, entry.key),
                             fmt::format("keep one of {}", fmt::join(group.keys, ", ")));
            }
        }
    }
}

}  // namespace

std::optional<int> signal_number(std::string_view text) {
    if (all_digits(text) && text.size() <= 2) {
        int number = std::stoi(std::string(text));
        if (number >= 1 && number <= 64)
            return number;
        return std::nullopt;
    }
    if (text.substr(0, 3) == "SIG")
        text.remove_prefix(3);
    auto it = signals_by_name().find(text);
    if (it == signals_by_name().end())
        return std::nullopt;
    return it->second;
}

const std::vector<std::string>& signal_names() {
    static const std::vector<std::string> names{"TERM", "INT",  "QUIT", "HUP",
                                                "KILL", "USR1", "USR2"};
    return names;
}

void check_duplicate_keys(const DocNode& map, ProblemList& problems) {
    // A hash of the keys seen, so that a map of a million keys is checked in linear time.
    std::unordered_map<std::string_view, const DocEntry*> first_by_key;
    first_by_key.reserve(map.entries.size());
    for (const DocEntry& entry : map.entries) {
        auto [first, inserted] = first_by_key.emplace(entry.key, &entry);
        if (inserted)
            continue;
        problems.add(
            entry.key_where, fmt::format("key '{}' is set twice", entry.key),
            fmt::format("it is first set at line {}; keep one", first->second->key_where.line));
    }
}

void check_value(const DocNode& value, ValueType type, std::string_view key, ProblemList& problems,
                 const Variables* runtime_examples) {
    if (value.kind == DocNode::Kind::null)
        return;  // no value: the default
    switch (type) {
        case ValueType::string_list:
            check_list(value, key, problems, runtime_examples);
            break;
        case ValueType::string_map:
            check_string_map(value, key, problems, runtime_examples);
            break;
        case ValueType::thresholds:
            check_thresholds(value, problems);
            break;
        case ValueType::map:
        case ValueType::custom:
            break;
        default:
            check_scalar(value, type, key, problems, runtime_examples);
            break;
    }
}

void check_map(const DocNode& map, const MapSchema& schema, ProblemList& problems,
               const Variables* runtime_examples) {
    if (!map.is_map()) {
        problems.add(
            map.where,
            fmt::format("{} expects a map of settings, got {}", schema.name, kind_name(map.kind)),
            fmt::format("write keys under it: {}", fmt::join(schema.key_names(), ", ")));
        return;
    }
    check_duplicate_keys(map, problems);
    check_exclusive_groups(map, problems);
    for (const DocEntry& entry : map.entries) {
        const KeyRule* rule = schema.find(entry.key);
        if (rule == nullptr) {
            problems.add(entry.key_where,
                         fmt::format("unknown key '{}' in {}", entry.key, schema.name),
                         unknown_name_hint(entry.key, schema.key_names()));
            continue;
        }
        if (rule->type == ValueType::map) {
            if (entry.value.kind == DocNode::Kind::null)
                continue;
            check_map(entry.value, *rule->nested, problems, runtime_examples);
        } else {
            check_value(entry.value, rule->type, entry.key, problems, runtime_examples);
        }
    }
}

}  // namespace benchctl
