#include "load/value_escape.hpp"

namespace benchctl {

namespace {

constexpr char k_hex[] = "0123456789ABCDEF";

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

void append_percent(std::string& out, unsigned char c) {
    out.push_back('%');
    out.push_back(k_hex[c >> 4]);
    out.push_back(k_hex[c & 0xF]);
}

// RFC 3986 section 2.1: a value is one path segment or one query value, so '/', '?', '&' and
// '=' are encoded too.
void append_url(std::string& out, std::string_view text) {
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            out.push_back(ch);
        } else {
            append_percent(out, c);
        }
    }
}

// The WHATWG URL standard's application/x-www-form-urlencoded serializer (what browsers and
// Python's urllib.parse.urlencode write): space is '+', '*' '-' '.' '_' and alphanumerics stay.
void append_form(std::string& out, std::string_view text) {
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == ' ') {
            out.push_back('+');
        } else if ((is_unreserved(c) && c != '~') || c == '*') {
            out.push_back(ch);
        } else {
            append_percent(out, c);
        }
    }
}

// RFC 8259 section 7: '"', '\\' and U+0000..U+001F must be escaped; everything else (UTF-8
// included) may stand as it is.
void append_json_string(std::string& out, std::string_view text) {
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out.push_back(k_hex[c >> 4]);
                    out.push_back(k_hex[c & 0xF]);
                } else {
                    out.push_back(ch);
                }
        }
    }
}

// A line break would end the header (or the request line) and start another: request smuggling.
void append_header(std::string& out, std::string_view text) {
    for (char ch : text)
        out.push_back(ch == '\r' || ch == '\n' || ch == '\0' ? ' ' : ch);
}

}  // namespace

void append_escaped(std::string& out, TemplateValue value, Escape escape) {
    if (escape == Escape::json_value) {
        if (value.json) {
            out += value.text;
        } else {
            out.push_back('"');
            append_json_string(out, value.text);
            out.push_back('"');
        }
        return;
    }
    std::string_view text = value.json && value.text == "null" ? std::string_view() : value.text;
    switch (escape) {
        case Escape::raw:
            out += text;
            break;
        case Escape::url:
            append_url(out, text);
            break;
        case Escape::form:
            append_form(out, text);
            break;
        case Escape::json_string:
            append_json_string(out, text);
            break;
        case Escape::header:
            append_header(out, text);
            break;
        case Escape::json_value:
            break;
    }
}

}  // namespace benchctl
