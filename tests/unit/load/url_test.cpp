#include "load/url.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "util/error.hpp"

using benchctl::parse_url;
using benchctl::Url;
using benchctl::UserError;

namespace {

// The UserError parse_url throws for `text`; fails the test when it throws none.
UserError url_error(const std::string& text) {
    try {
        parse_url(text, "URL argument");
    } catch (const UserError& error) {
        return error;
    }
    FAIL("parse_url accepted " << text);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("splits a full URL into host, port, target and Host header") {
    const Url url = parse_url("http://127.0.0.1:8000/myapp/sync/cache_hit?x=1", "URL argument");
    CHECK(url.text == "http://127.0.0.1:8000/myapp/sync/cache_hit?x=1");
    CHECK(url.host == "127.0.0.1");
    CHECK(url.port == 8000);
    CHECK(url.target == "/myapp/sync/cache_hit?x=1");
    CHECK(url.host_header == "127.0.0.1:8000");
}

TEST_CASE("defaults to port 80 and leaves the port out of the Host header") {
    const Url url = parse_url("http://localhost/", "URL argument");
    CHECK(url.port == 80);
    CHECK(url.host_header == "localhost");
}

TEST_CASE("sends / when the URL has no path") {
    CHECK(parse_url("http://localhost", "x").target == "/");
    CHECK(parse_url("http://localhost:8080", "x").target == "/");
    CHECK(parse_url("http://localhost?a=b", "x").target == "/?a=b");
}

TEST_CASE("drops the fragment") {
    CHECK(parse_url("http://h/p?q=1#frag", "x").target == "/p?q=1");
    CHECK(parse_url("http://h/p#frag", "x").target == "/p");
}

TEST_CASE("accepts the scheme in any case") {
    CHECK(parse_url("HTTP://h/", "x").host == "h");
}

TEST_CASE("keeps an IPv6 host without brackets and brackets it in the Host header") {
    const Url url = parse_url("http://[::1]:8080/x", "x");
    CHECK(url.host == "::1");
    CHECK(url.port == 8080);
    CHECK(url.host_header == "[::1]:8080");
    CHECK(parse_url("http://[::1]/", "x").host_header == "[::1]");
}

TEST_CASE("rejects https as not supported yet") {
    const UserError error = url_error("https://example.com/");
    CHECK(std::string(error.what()) == "https is not supported yet");
    CHECK(error.where() == "URL argument");
    CHECK(error.hint() == "use http://");
}

TEST_CASE("rejects other schemes by name") {
    const UserError error = url_error("ftp://example.com/");
    CHECK(std::string(error.what()) == "unsupported URL scheme 'ftp'");
}

TEST_CASE("rejects a URL without a scheme and shows how to write it") {
    for (const char* text : {"127.0.0.1:8000/", "localhost:8080", "/path", "localhost"}) {
        const UserError error = url_error(text);
        CHECK_THAT(error.what(), Catch::Contains("has no scheme"));
        CHECK(error.hint() == "write it as http://HOST:PORT/PATH");
    }
}

TEST_CASE("rejects a URL without a host") {
    for (const char* text : {"http://", "http:///path", "http://:8080/"}) {
        CHECK_THAT(url_error(text).what(), Catch::Contains("has no host"));
    }
}

TEST_CASE("rejects ports outside 1..65535 or not numeric") {
    for (const char* text : {"http://h:0/", "http://h:65536/", "http://h:99999999/",
                             "http://h:abc/", "http://[::1]:70000/"}) {
        CHECK_THAT(url_error(text).what(), Catch::Contains("invalid port"));
    }
    CHECK_THAT(url_error("http://h:/").what(), Catch::Contains("empty port"));
    CHECK(parse_url("http://h:65535/", "x").port == 65535);
    CHECK(parse_url("http://h:1/", "x").port == 1);
}

TEST_CASE("rejects malformed URLs") {
    for (const char* text : {"http://h h/", "http://h/a b", "http://[::1/", "http://h/\x7f"}) {
        CHECK_THAT(url_error(text).what(), Catch::Contains("malformed URL"));
    }
}

TEST_CASE("rejects user info instead of dropping it silently") {
    CHECK_THAT(url_error("http://user:pass@h/").what(), Catch::Contains("user info"));
}

TEST_CASE("rejects a URL too long for libhttp-parser's 16-bit offsets") {
    CHECK_THAT(url_error("http://h/" + std::string(70000, 'a')).what(),
               Catch::Contains("longer than 65535"));
}

TEST_CASE("names where the URL came from in every error") {
    try {
        parse_url("http://h:0/", "field url");
        FAIL("accepted port 0");
    } catch (const UserError& error) {
        CHECK(error.where() == "field url");
    }
}
