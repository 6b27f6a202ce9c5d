#include "load/json_path.hpp"

#include <charconv>

namespace benchctl {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_literal_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '+' || c == '.';
}

bool starts_value(char c) {
    return c == '"' || c == '{' || c == '[' || c == '-' || (c >= '0' && c <= '9') || c == 't' ||
           c == 'f' || c == 'n';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool is_name_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
}

// `['key']` or `["key"]` at `text[pos]` (just after '['); the key, or nullopt.
std::optional<std::string> quoted_key(std::string_view text, std::size_t& pos) {
    const char quote = text[pos];
    std::size_t end = text.find(quote, pos + 1);
    if (end == std::string_view::npos || end + 1 >= text.size() || text[end + 1] != ']')
        return std::nullopt;
    std::string key(text.substr(pos + 1, end - pos - 1));
    pos = end + 2;
    return key;
}

}  // namespace

std::optional<JsonPath> parse_json_path(std::string_view text, std::string& error) {
    JsonPath path;
    path.text = std::string(text);
    if (text.empty() || text[0] != '$') {
        error = "a JSON path starts with '$'";
        return std::nullopt;
    }
    std::size_t pos = 1;
    while (pos < text.size()) {
        JsonPath::Segment segment;
        if (text[pos] == '.') {
            std::size_t end = ++pos;
            while (end < text.size() && is_name_char(text[end]))
                ++end;
            if (end == pos) {
                error = "a '.' must be followed by a member name (letters, digits, '_', '-')";
                return std::nullopt;
            }
            segment.key = std::string(text.substr(pos, end - pos));
            pos = end;
        } else if (text[pos] == '[' && pos + 1 < text.size() &&
                   (text[pos + 1] == '\'' || text[pos + 1] == '"')) {
            ++pos;
            std::optional<std::string> key = quoted_key(text, pos);
            if (!key) {
                error = "a quoted member name in [...] is not closed";
                return std::nullopt;
            }
            segment.key = std::move(*key);
        } else if (text[pos] == '[') {
            std::size_t end = text.find(']', pos);
            std::int64_t index = -1;
            auto [stop, code] = std::from_chars(text.data() + pos + 1,
                                                text.data() + std::min(end, text.size()), index);
            if (end == std::string_view::npos || code != std::errc() || stop != text.data() + end ||
                index < 0) {
                error = "[...] holds an element number (0, 1, ...) or a quoted member name";
                return std::nullopt;
            }
            segment.index = index;
            pos = end + 1;
        } else {
            error = "expected '.name', '[n]' or ['name'] after '" +
                    std::string(text.substr(0, pos)) + "'";
            return std::nullopt;
        }
        path.segments.push_back(std::move(segment));
    }
    return path;
}

void JsonPathExtractor::reset(const std::vector<const JsonPath*>& paths) {
    m_targets.resize(paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
        Target& target = m_targets[i];
        target.path = paths[i];
        target.matched = 0;
        target.key_equal = false;
        target.taking = Taking::no;
        target.done = false;
        target.given_up = false;
        target.json = false;
        target.value.clear();
    }
    m_state = State::value;
    m_stopped = paths.empty();
    m_in_key = false;
    m_depth = 0;
    m_is_object.clear();
    m_index.clear();
    m_escape = 0;
    m_high_surrogate = 0;
}

void JsonPathExtractor::feed(const char* data, std::size_t length) {
    for (std::size_t i = 0; i < length && !m_stopped; ++i)
        step(data[i]);
}

void JsonPathExtractor::finish() {
    if (!m_stopped && m_state == State::literal)
        end_scalar();
    m_stopped = true;
}

void JsonPathExtractor::step(char c) {
    if (m_state == State::literal && !is_literal_char(c)) {
        end_scalar();
        m_state = State::after_value;
    }
    if (m_state == State::value && starts_value(c))
        begin_value(c);
    take_raw(c);
    switch (m_state) {
        case State::string:
            string_byte(c);
            return;
        case State::literal:
            return;
        case State::value:
            if (starts_value(c)) {
                m_state = c == '"' ? State::string : State::literal;
                m_in_key = false;
                if (c == '{' || c == '[')
                    open_container(c == '{');
            } else if (c == ']' && m_depth > 0 && !m_is_object.back() && m_index.back() == 0) {
                close_container(false);  // an empty array
            } else if (!is_space(c)) {
                stop();
            }
            return;
        case State::key:
            if (c == '"') {
                begin_member_key();
                m_in_key = true;
                m_state = State::string;
            } else if (c == '}') {
                close_container(true);  // an empty object
            } else if (!is_space(c)) {
                stop();
            }
            return;
        case State::colon:
            if (c == ':') {
                m_state = State::value;
            } else if (!is_space(c)) {
                stop();
            }
            return;
        case State::after_value:
            if (is_space(c))
                return;
            if (c == ',' && m_depth > 0) {
                if (m_is_object.back()) {
                    m_state = State::key;
                } else {
                    ++m_index.back();
                    begin_element();
                    m_state = State::value;
                }
            } else if (m_depth > 0 && c == (m_is_object.back() ? '}' : ']')) {
                close_container(m_is_object.back());
            } else {
                stop();
            }
            return;
    }
}

// A value starts at the current position: the paths that lead here begin taking it.
void JsonPathExtractor::begin_value(char c) {
    for (Target& target : m_targets) {
        if (target.done || target.given_up || target.taking != Taking::no ||
            target.matched != m_depth || target.path->segments.size() != m_depth) {
            continue;
        }
        target.value.clear();
        target.taking_depth = m_depth;
        if (c == '"') {
            target.taking = Taking::string;
            target.json = false;
        } else {
            target.taking = c == '{' || c == '[' ? Taking::container : Taking::scalar;
            target.json = true;
        }
    }
}

void JsonPathExtractor::end_scalar() {
    for (Target& target : m_targets) {
        if (target.taking == Taking::scalar) {
            target.taking = Taking::no;
            target.done = true;
        }
    }
}

void JsonPathExtractor::open_container(bool object) {
    if (m_depth >= k_max_depth) {
        stop();
        return;
    }
    ++m_depth;
    m_is_object.push_back(object);
    m_index.push_back(0);
    if (object) {
        m_state = State::key;
    } else {
        begin_element();
        m_state = State::value;
    }
}

void JsonPathExtractor::close_container(bool) {
    m_is_object.pop_back();
    m_index.pop_back();
    --m_depth;
    for (Target& target : m_targets) {
        target.matched = std::min(target.matched, m_depth);
        if (target.taking == Taking::container && target.taking_depth == m_depth) {
            target.taking = Taking::no;
            target.done = true;
        }
    }
    m_state = State::after_value;
}

// A member of the object at depth m_depth begins: its name decides which paths still lead on.
void JsonPathExtractor::begin_member_key() {
    const std::size_t level = m_depth;
    for (Target& target : m_targets) {
        if (target.matched >= level)
            target.matched = level - 1;
        const auto& segments = target.path->segments;
        target.key_equal = target.matched == level - 1 && segments.size() >= level &&
                           segments[level - 1].index < 0;
        target.key_length = 0;
    }
}

void JsonPathExtractor::end_member_key() {
    const std::size_t level = m_depth;
    for (Target& target : m_targets) {
        if (target.key_equal && target.key_length == target.path->segments[level - 1].key.size())
            target.matched = level;
        target.key_equal = false;
    }
}

// An element of the array at depth m_depth begins, numbered m_index.back().
void JsonPathExtractor::begin_element() {
    const std::size_t level = m_depth;
    for (Target& target : m_targets) {
        if (target.matched >= level)
            target.matched = level - 1;
        const auto& segments = target.path->segments;
        if (target.matched == level - 1 && segments.size() >= level &&
            segments[level - 1].index == m_index.back()) {
            target.matched = level;
        }
    }
}

void JsonPathExtractor::string_byte(char c) {
    if (m_escape == 0) {
        if (c == '\\') {
            m_escape = 1;
            return;
        }
        if (m_high_surrogate != 0) {
            m_high_surrogate = 0;
            string_char(0xFFFD);  // a lone high surrogate
        }
        if (c != '"') {
            if (m_in_key) {
                key_byte(static_cast<unsigned char>(c));
            } else {
                string_char_byte(c);
            }
            return;
        }
        if (m_in_key) {
            end_member_key();
            m_state = State::colon;
            return;
        }
        for (Target& target : m_targets) {
            if (target.taking == Taking::string) {
                target.taking = Taking::no;
                target.done = true;
            }
        }
        m_state = State::after_value;
        return;
    }
    if (m_escape == 1) {
        m_escape = 0;
        switch (c) {
            case '"':
            case '\\':
            case '/':
                string_char(static_cast<unsigned char>(c));
                return;
            case 'b':
                string_char('\b');
                return;
            case 'f':
                string_char('\f');
                return;
            case 'n':
                string_char('\n');
                return;
            case 'r':
                string_char('\r');
                return;
            case 't':
                string_char('\t');
                return;
            case 'u':
                m_escape = 2;
                m_unit = 0;
                return;
            default:
                stop();
                return;
        }
    }
    const int digit = hex_value(c);
    if (digit < 0) {
        stop();
        return;
    }
    m_unit = m_unit * 16 + static_cast<std::uint32_t>(digit);
    if (++m_escape < 6)
        return;
    m_escape = 0;
    string_unit(m_unit);
}

// One UTF-16 code unit from a \uXXXX escape; surrogate pairs become one code point.
void JsonPathExtractor::string_unit(std::uint32_t unit) {
    if (unit >= 0xD800 && unit <= 0xDBFF) {
        if (m_high_surrogate != 0)
            string_char(0xFFFD);
        m_high_surrogate = unit;
        return;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
        if (m_high_surrogate == 0) {
            string_char(0xFFFD);
            return;
        }
        const std::uint32_t code = 0x10000 + ((m_high_surrogate - 0xD800) << 10) + (unit - 0xDC00);
        m_high_surrogate = 0;
        string_char(code);
        return;
    }
    if (m_high_surrogate != 0) {
        m_high_surrogate = 0;
        string_char(0xFFFD);
    }
    string_char(unit);
}

// One decoded character of a string, written as UTF-8.
void JsonPathExtractor::string_char(std::uint32_t code) {
    char bytes[4];
    std::size_t count = 0;
    if (code < 0x80) {
        bytes[count++] = static_cast<char>(code);
    } else if (code < 0x800) {
        bytes[count++] = static_cast<char>(0xC0 | (code >> 6));
        bytes[count++] = static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        bytes[count++] = static_cast<char>(0xE0 | (code >> 12));
        bytes[count++] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        bytes[count++] = static_cast<char>(0x80 | (code & 0x3F));
    } else {
        bytes[count++] = static_cast<char>(0xF0 | (code >> 18));
        bytes[count++] = static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        bytes[count++] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        bytes[count++] = static_cast<char>(0x80 | (code & 0x3F));
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (m_in_key) {
            key_byte(static_cast<unsigned char>(bytes[i]));
        } else {
            string_char_byte(bytes[i]);
        }
    }
}

void JsonPathExtractor::string_char_byte(char c) {
    for (Target& target : m_targets) {
        if (target.taking != Taking::string)
            continue;
        if (target.value.size() >= k_max_value_bytes) {
            target.taking = Taking::no;  // too long: given up, never taken again
            target.given_up = true;
            continue;
        }
        target.value.push_back(c);
    }
}

void JsonPathExtractor::key_byte(unsigned char c) {
    const std::size_t level = m_depth;
    for (Target& target : m_targets) {
        if (!target.key_equal)
            continue;
        const std::string& key = target.path->segments[level - 1].key;
        if (target.key_length < key.size() &&
            static_cast<unsigned char>(key[target.key_length]) == c) {
            ++target.key_length;
        } else {
            target.key_equal = false;
        }
    }
}

void JsonPathExtractor::take_raw(char c) {
    for (Target& target : m_targets) {
        if (target.taking != Taking::scalar && target.taking != Taking::container)
            continue;
        if (target.value.size() >= k_max_value_bytes) {
            target.taking = Taking::no;
            target.given_up = true;
            continue;
        }
        target.value.push_back(c);
    }
}

}  // namespace benchctl
