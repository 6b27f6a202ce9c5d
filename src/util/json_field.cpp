#include "util/json_field.hpp"

#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace benchctl {

JsonField::JsonField(const nlohmann::json& document, std::string where, std::string hint,
                     std::string path)
    : m_value(&document),
      m_path(std::move(path)),
      m_source(std::make_shared<const Source>(Source{std::move(where), std::move(hint)})) {}

bool JsonField::is_null() const {
    return m_value->is_null();
}

bool JsonField::has(const char* key) const {
    return m_value->is_object() && m_value->contains(key);
}

std::string JsonField::child_path(const std::string& key) const {
    return m_path.empty() ? key : m_path + "." + key;
}

JsonField JsonField::operator[](const char* key) const {
    if (!m_value->is_object())
        fail_type("an object");
    const auto found = m_value->find(key);
    if (found == m_value->end())
        fail_at(child_path(key), "is missing");
    return JsonField(*found, child_path(key), m_source);
}

std::optional<JsonField> JsonField::find(const char* key) const {
    if (!m_value->is_object())
        fail_type("an object");
    const auto found = m_value->find(key);
    if (found == m_value->end() || found->is_null())
        return std::nullopt;
    return JsonField(*found, child_path(key), m_source);
}

std::vector<JsonField> JsonField::elements() const {
    if (!m_value->is_array())
        fail_type("an array");
    std::vector<JsonField> fields;
    fields.reserve(m_value->size());
    for (std::size_t i = 0; i < m_value->size(); ++i)
        fields.push_back(
            JsonField((*m_value)[i], m_path + "[" + std::to_string(i) + "]", m_source));
    return fields;
}

std::vector<std::pair<std::string, JsonField>> JsonField::members() const {
    if (!m_value->is_object())
        fail_type("an object");
    std::vector<std::pair<std::string, JsonField>> fields;
    for (const auto& [key, value] : m_value->items())
        fields.emplace_back(key, JsonField(value, child_path(key), m_source));
    return fields;
}

std::size_t JsonField::size() const {
    if (!m_value->is_array())
        fail_type("an array");
    return m_value->size();
}

namespace {

bool is_non_negative_integer(const nlohmann::json& value) {
    return value.is_number_unsigned() ||
           (value.is_number_integer() && value.get<std::int64_t>() >= 0);
}

}  // namespace

std::uint64_t JsonField::as_unsigned() const {
    return as_unsigned_up_to(std::numeric_limits<std::uint64_t>::max());
}

std::uint64_t JsonField::as_unsigned_up_to(std::uint64_t limit) const {
    if (!is_non_negative_integer(*m_value))
        fail_type("a non-negative integer");
    const auto value = m_value->get<std::uint64_t>();
    if (value > limit)
        fail_type("a smaller integer");
    return value;
}

std::uint64_t JsonField::unsigned_at(std::size_t index) const {
    if (!m_value->is_array())
        fail_type("an array");
    const nlohmann::json& element = m_value->at(index);
    if (!is_non_negative_integer(element))
        fail_at(m_path + "[" + std::to_string(index) + "]", "must be a non-negative integer");
    return element.get<std::uint64_t>();
}

double JsonField::as_double() const {
    if (!m_value->is_number())
        fail_type("a number");
    return m_value->get<double>();
}

bool JsonField::as_bool() const {
    if (!m_value->is_boolean())
        fail_type("true or false");
    return m_value->get<bool>();
}

std::string JsonField::as_string() const {
    if (!m_value->is_string())
        fail_type("a string");
    return m_value->get<std::string>();
}

std::vector<std::string> JsonField::as_string_list() const {
    std::vector<std::string> list;
    for (const JsonField& element : elements())
        list.push_back(element.as_string());
    return list;
}

std::map<std::string, std::string> JsonField::as_string_map() const {
    std::map<std::string, std::string> map;
    for (const auto& [key, member] : members())
        map[key] = member.as_string();
    return map;
}

std::optional<double> JsonField::as_optional_double() const {
    if (m_value->is_null())
        return std::nullopt;
    if (!m_value->is_number())
        fail_type("a number or null");
    return m_value->get<double>();
}

std::optional<std::uint64_t> JsonField::as_optional_unsigned() const {
    if (m_value->is_null())
        return std::nullopt;
    return as_unsigned();
}

std::size_t JsonField::as_choice(std::initializer_list<const char*> names) const {
    const std::string text = m_value->is_string() ? m_value->get<std::string>() : "";
    std::string listed;
    std::size_t index = 0;
    for (const char* name : names) {
        if (text == name)
            return index;
        listed += (index == 0                  ? ""
                   : index + 1 == names.size() ? " or "
                                               : ", ") +
                  ("\"" + std::string(name) + "\"");
        ++index;
    }
    fail_type(listed);
}

void JsonField::fail_type(const std::string& kind) const {
    fail(("must be " + kind));
}

void JsonField::fail(const std::string& problem) const {
    fail_at(m_path, problem);
}

void JsonField::fail_at(const std::string& path, const std::string& problem) const {
    const std::string subject = path.empty() ? "the document" : "field " + path;
    throw UserError(subject + " " + problem, m_source->where, m_source->hint);
}

}  // namespace benchctl
