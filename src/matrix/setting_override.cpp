#include "matrix/setting_override.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "matrix/matrix_schema.hpp"
#include "matrix/problem_list.hpp"
#include "util/error.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (true) {
        std::size_t dot = path.find('.', begin);
        parts.push_back(path.substr(begin, dot - begin));
        if (dot == std::string::npos)
            return parts;
        begin = dot + 1;
    }
}

std::vector<std::string> key_names_of(const DocNode* map) {
    std::vector<std::string> names;
    if (map != nullptr && map->is_map()) {
        for (const DocEntry& entry : map->entries)
            names.push_back(entry.key);
    }
    return names;
}

// Walks a dotted path through the schema; reports the first part that names nothing.
class PathCheck {
  public:
    PathCheck(const SettingOverride& setting, const DocNode& document, ProblemList& problems)
        : m_parts(split_path(setting.path)),
          m_document(document),
          m_problems(problems),
          m_where(override_location(setting)) {}

    bool valid() {
        for (const std::string& part : m_parts) {
            if (part.empty()) {
                return fail("malformed setting path '" + join(m_parts.size()) + "'",
                            "write a dotted path such as load.duration");
            }
        }
        return walk(top_level_schema(), 0);
    }

  private:
    std::string join(std::size_t count) const {
        std::vector<std::string> head(m_parts.begin(), m_parts.begin() + static_cast<long>(count));
        return fmt::format("{}", fmt::join(head, "."));
    }

    bool fail(std::string what, std::string hint) {
        m_problems.add(m_where, std::move(what), std::move(hint));
        return false;
    }

    bool last(std::size_t index) const { return index + 1 == m_parts.size(); }

    bool no_sub_keys(std::size_t index) {
        return fail(fmt::format("'{}' has no key '{}'", join(index + 1), m_parts[index + 1]),
                    fmt::format("set {} itself", join(index + 1)));
    }

    bool walk(const MapSchema& schema, std::size_t index) {
        const std::string& key = m_parts[index];
        const KeyRule* rule = schema.find(key);
        if (rule == nullptr) {
            std::string in = index == 0 ? "" : fmt::format(" in {}", join(index));
            return fail(fmt::format("unknown key '{}'{}", key, in),
                        unknown_name_hint(key, schema.key_names()));
        }
        if (last(index))
            return true;
        switch (rule->type) {
            case ValueType::map:
                return walk(*rule->nested, index + 1);
            case ValueType::string_map:
            case ValueType::thresholds:
                return last(index + 1) ? true : no_sub_keys(index + 1);
            case ValueType::custom:
                return walk_named(key, index + 1);
            default:
                return no_sub_keys(index);
        }
    }

    // axes.<axis> and services.<service>.<target key ...>.
    bool walk_named(const std::string& section, std::size_t index) {
        if (section != "axes" && section != "services")
            return no_sub_keys(index - 1);
        std::vector<std::string> names = key_names_of(m_document.find(section));
        const std::string& name = m_parts[index];
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            const char* noun = section == "axes" ? "axis" : "service";
            return fail(fmt::format("unknown {} '{}'", noun, name),
                        unknown_name_hint(name, names, section == "axes" ? "axes" : "services"));
        }
        if (last(index))
            return true;
        if (section == "axes")
            return no_sub_keys(index);
        return walk(service_schema(name), index + 1);
    }

    // A service's keys: its kind's when the file gives it a known one, a target's otherwise.
    const MapSchema& service_schema(const std::string& name) const {
        const DocNode* service = m_document.find("services")->find(name);
        const DocNode* kind =
            service != nullptr && service->is_map() ? service->find("kind") : nullptr;
        if (kind != nullptr && kind->is_scalar()) {
            if (std::optional<ServiceKind> known = service_kind_from_name(kind->scalar))
                return service_kind_schema(*known);
        }
        return target_schema();
    }

    std::vector<std::string> m_parts;
    const DocNode& m_document;
    ProblemList& m_problems;
    SourceLocation m_where;
};

}  // namespace

SettingOverride parse_setting_override(const std::string& text) {
    std::size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
        throw UserError(fmt::format("malformed setting '{}'", text), "--set",
                        "write key=value, e.g. --set load.duration=2s");
    }
    return {text.substr(0, equals), text.substr(equals + 1)};
}

SourceLocation override_location(const SettingOverride& setting) {
    return {fmt::format("--set {}={}", setting.path, setting.value), 0, 0};
}

std::optional<DocNode> override_document(const SettingOverride& setting, const DocNode& document,
                                         ProblemList& problems) {
    if (!PathCheck(setting, document, problems).valid())
        return std::nullopt;
    SourceLocation where = override_location(setting);
    DocNode node;
    try {
        node = parse_override_value(setting.value, where);
    } catch (const UserError& error) {
        problems.add(where, error.what(), error.hint());
        return std::nullopt;
    }
    std::vector<std::string> parts = split_path(setting.path);
    for (auto part = parts.rbegin(); part != parts.rend(); ++part) {
        DocNode map;
        map.kind = DocNode::Kind::map;
        map.where = where;
        map.entries.push_back({*part, where, std::move(node)});
        node = std::move(map);
    }
    return node;
}

}  // namespace benchctl
