#pragma once

#include <string>
#include <string_view>

namespace benchctl {

// How a value is written where it lands in a request, so that whatever it holds ('&', '=', '"',
// a line break, non-ASCII bytes) arrives as the same value on the server.
enum class Escape : unsigned char {
    raw,          // a raw body: the bytes as they are
    url,          // a path or query: percent-encoding of every byte but A-Z a-z 0-9 - . _ ~
    form,         // application/x-www-form-urlencoded: as url, but space is '+' and '*' is kept
    json_string,  // inside a JSON string: \" \\ and control characters escaped; UTF-8 kept
    json_value,   // a whole JSON value: a JSON token as it is, any other value as a JSON string
    header,       // a header value or the method: CR, LF and NUL become spaces
};

// A value to write: its text, and whether that text is a JSON token (a number, true, false,
// null, an object or an array, as a JSON Lines field or a JSON capture may be) rather than a
// plain string. A JSON null is written as nothing outside a JSON body.
struct TemplateValue {
    std::string_view text;
    bool json = false;
};

// Appends `value` to `out` written for `escape`. Never allocates beyond `out`'s growth.
void append_escaped(std::string& out, TemplateValue value, Escape escape);

// Appends `text` (a plain string) written for `escape`.
inline void append_escaped(std::string& out, std::string_view text, Escape escape) {
    append_escaped(out, TemplateValue{text, false}, escape);
}

}  // namespace benchctl
