#include "util/line_pattern.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "util/error.hpp"

using benchctl::LinePattern;
using Result = benchctl::LinePattern::Result;

TEST_CASE("a line pattern is searched anywhere in the line, in Perl syntax", "[util]") {
    LinePattern pattern("Listening at: http://\\S+:\\d+");
    CHECK(pattern.search("[INFO] Listening at: http://127.0.0.1:8000 (123)") == Result::match);
    CHECK(pattern.search("Listening at: http://127.0.0.1:port") == Result::no_match);
    CHECK(LinePattern("^ready$").search("ready") == Result::match);
    CHECK(LinePattern("^ready$").search("not ready") == Result::no_match);
    CHECK(LinePattern("(?<=port )\\d+").search("port 80") == Result::match);
    CHECK(pattern.text() == "Listening at: http://\\S+:\\d+");
}

TEST_CASE("an invalid line pattern is a UserError naming it", "[util]") {
    try {
        LinePattern pattern("([unclosed");
        FAIL("no UserError");
    } catch (const benchctl::UserError& error) {
        CHECK(std::string(error.what()).find("'([unclosed'") != std::string::npos);
    }
}

TEST_CASE("only the first 4096 bytes of a line are searched", "[util]") {
    LinePattern pattern("ready");
    std::string line(LinePattern::k_max_line - 5, 'x');
    CHECK(pattern.search(line + "ready") == Result::match);
    CHECK(pattern.search(line + "xready") == Result::no_match);
}

TEST_CASE("a 100,000-byte line does not crash the matcher", "[util]") {
    std::string line(100000, 'a');
    CHECK(LinePattern("(a|b)*c").search(line) == Result::no_match);
}

// Bounded by PCRE2's match limit (a count of steps), so the result does not depend on time.
TEST_CASE("catastrophic backtracking is reported as too costly", "[util]") {
    CHECK(LinePattern("(a+)+$").search("aaaaaaaaaaaaaaaaaaaaaaaaaaaa!") == Result::too_costly);
    CHECK(LinePattern("(a|aa)+$").search(std::string(4000, 'a') + "!") == Result::too_costly);
}

TEST_CASE("a line pattern works on bytes that are not UTF-8", "[util]") {
    CHECK(LinePattern("ready").search("\xff\xfe ready") == Result::match);
}
