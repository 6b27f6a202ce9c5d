#include "load/value_escape.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace benchctl;

namespace {

std::string escaped(std::string_view text, Escape escape, bool json = false) {
    std::string out;
    append_escaped(out, TemplateValue{text, json}, escape);
    return out;
}

// A title holding everything that could break an encoding: '&', '=', '"', a line break, '+',
// '%', a space and non-ASCII (UTF-8).
constexpr std::string_view k_nasty = "a&b=c \"q\"\n+%/é";

}  // namespace

TEST_CASE("a form value encodes '&', '=', '+', '%' and UTF-8, and space as '+'") {
    CHECK(escaped(k_nasty, Escape::form) == "a%26b%3Dc+%22q%22%0A%2B%25%2F%C3%A9");
    CHECK(escaped("A-z_0.9*~", Escape::form) == "A-z_0.9*%7E");
}

TEST_CASE("a path or query value is percent-encoded but for RFC 3986's unreserved characters") {
    CHECK(escaped(k_nasty, Escape::url) == "a%26b%3Dc%20%22q%22%0A%2B%25%2F%C3%A9");
    CHECK(escaped("A-z_0.9~", Escape::url) == "A-z_0.9~");
}

TEST_CASE("inside a JSON string quotes, backslashes and control characters are escaped") {
    CHECK(escaped(k_nasty, Escape::json_string) == "a&b=c \\\"q\\\"\\n+%/é");
    CHECK(escaped(std::string_view("\\\t\r\x01\x1f", 5), Escape::json_string) ==
          "\\\\\\t\\r\\u0001\\u001F");
}

TEST_CASE("a whole JSON value is a string unless the value is JSON text already") {
    CHECK(escaped("x\"y", Escape::json_value) == "\"x\\\"y\"");
    CHECK(escaped("42", Escape::json_value) == "\"42\"");
    CHECK(escaped("42", Escape::json_value, true) == "42");
    CHECK(escaped("{\"a\":[1]}", Escape::json_value, true) == "{\"a\":[1]}");
}

TEST_CASE("a header value cannot end its line: CR, LF and NUL become spaces") {
    CHECK(escaped(std::string_view("a\r\nX-Evil: 1\0b", 14), Escape::header) == "a  X-Evil: 1 b");
}

TEST_CASE("a JSON null writes nothing outside a JSON body, and raw text stays as it is") {
    CHECK(escaped("null", Escape::url, true) == "");
    CHECK(escaped("null", Escape::json_value, true) == "null");
    CHECK(escaped("null", Escape::raw) == "null");
    CHECK(escaped(k_nasty, Escape::raw) == std::string(k_nasty));
}
