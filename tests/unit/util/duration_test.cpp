#include "util/duration.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "util/error.hpp"

using namespace std::chrono_literals;
using benchctl::parse_count;
using benchctl::parse_duration;
using benchctl::parse_percent;
using benchctl::parse_rate;
using benchctl::UserError;

namespace {

// The UserError thrown for `text`, or a failed check when none is thrown.
template <typename Parse>
UserError error_from(Parse parse, const std::string& text, const std::string& where) {
    try {
        parse(text, where);
    } catch (const UserError& error) {
        return error;
    }
    FAIL("no UserError for '" << text << "'");
    return UserError("", "", "");
}

}  // namespace

TEST_CASE("parses durations in every unit") {
    CHECK(parse_duration("10us", "-d") == 10us);
    CHECK(parse_duration("500ms", "-d") == 500ms);
    CHECK(parse_duration("2.5s", "-d") == 2500ms);
    CHECK(parse_duration("10m", "-d") == 10min);
    CHECK(parse_duration("1h", "-d") == 1h);
    CHECK(parse_duration("0s", "-d") == 0s);
}

TEST_CASE("reads a bare number as seconds as wrk does") {
    CHECK(parse_duration("10", "-d") == 10s);
    CHECK(parse_duration("0.25", "-d") == 250ms);
}

TEST_CASE("accepts duration units in either case as wrk does") {
    CHECK(parse_duration("10S", "-d") == 10s);
    CHECK(parse_duration("500Ms", "-d") == 500ms);
}

TEST_CASE("converts decimal fractions to the nearest nanosecond") {
    CHECK(parse_duration("0.1s", "-d") == 100ms);
    CHECK(parse_duration("1.5us", "-d") == 1500ns);
    CHECK(parse_duration("0.001ms", "-d") == 1us);
}

TEST_CASE("rejects malformed durations naming the flag and a valid form") {
    for (const char* text : {"10x", "", "-1s", "s", "1.", ".5s", "1e3s", " 10s", "10 s", "10ss"}) {
        const UserError error = error_from(parse_duration, text, "-d");
        CHECK(error.where() == "-d");
        CHECK(std::string(error.what()).find(std::string("'") + text + "'") != std::string::npos);
        CHECK(error.hint().find("10s") != std::string::npos);
    }
    CHECK(std::string(error_from(parse_duration, "-1s", "-d").what()) == "negative duration '-1s'");
    CHECK(std::string(error_from(parse_duration, "10x", "-d").what()) ==
          "malformed duration '10x'");
}

TEST_CASE("rejects durations longer than nanoseconds can count") {
    const UserError error = error_from(parse_duration, "3000000h", "--warmup");
    CHECK(std::string(error.what()) == "duration '3000000h' is too long");
    CHECK(error.where() == "--warmup");
    CHECK_THROWS_AS(parse_duration(std::string(400, '9') + "s", "-d"), UserError);
}

TEST_CASE("parses counts with SI suffixes in powers of 1000") {
    CHECK(parse_count("1000", "-n") == 1000);
    CHECK(parse_count("10k", "-n") == 10'000);
    CHECK(parse_count("10K", "-n") == 10'000);
    CHECK(parse_count("2M", "-n") == 2'000'000);
    CHECK(parse_count("1g", "-n") == 1'000'000'000);
    CHECK(parse_count("3T", "-n") == 3'000'000'000'000);
    CHECK(parse_count("0", "-n") == 0);
    CHECK(parse_count("18446744073709551615", "-n") == 18446744073709551615ULL);
}

TEST_CASE("rejects malformed counts naming the flag and a valid form") {
    for (const char* text : {"10x", "-5", "1.5k", "", "k", "10kb", "+5", "1 000"}) {
        const UserError error = error_from(parse_count, text, "-n");
        CHECK(std::string(error.what()) == std::string("malformed count '") + text + "'");
        CHECK(error.where() == "-n");
        CHECK(error.hint().find("10k") != std::string::npos);
    }
}

TEST_CASE("rejects counts that overflow 64 bits") {
    for (const char* text :
         {"18446744073709551616", "18446744073709552k", "99999999999999999999G"}) {
        const UserError error = error_from(parse_count, text, "--iterations");
        CHECK(std::string(error.what()) == std::string("count '") + text + "' is too large");
        CHECK(error.where() == "--iterations");
    }
}

TEST_CASE("parses rates with decimals and SI suffixes") {
    CHECK(parse_rate("500", "-R") == 500.0);
    CHECK(parse_rate("2.5k", "-R") == 2500.0);
    CHECK(parse_rate("1M", "-R") == 1e6);
    CHECK(parse_rate("0.5", "-R") == 0.5);
}

TEST_CASE("rejects rates that are malformed, zero or negative") {
    CHECK(std::string(error_from(parse_rate, "0", "-R").what()) == "rate '0' is zero");
    CHECK(std::string(error_from(parse_rate, "0.0k", "-R").what()) == "rate '0.0k' is zero");
    CHECK(std::string(error_from(parse_rate, "-5", "-R").what()) == "negative rate '-5'");
    for (const char* text : {"abc", "5/s", "", "1e3", "2.5x", "inf", "nan"}) {
        const UserError error = error_from(parse_rate, text, "-R");
        CHECK(std::string(error.what()) == std::string("malformed rate '") + text + "'");
        CHECK(error.where() == "-R");
        CHECK(error.hint().find("2.5k") != std::string::npos);
    }
}

TEST_CASE("a percentage reads as a fraction, with or without its sign") {
    CHECK(parse_percent("5", "--threshold") == Approx(0.05));
    CHECK(parse_percent("5%", "--threshold") == Approx(0.05));
    CHECK(parse_percent("0.5%", "--threshold") == Approx(0.005));
    CHECK(parse_percent("100", "--threshold") == 1.0);
    CHECK_THROWS_WITH(parse_percent("-5", "--threshold"), "negative percentage '-5'");
    CHECK_THROWS_WITH(parse_percent("5x", "--threshold"), "malformed percentage '5x'");
    CHECK_THROWS_WITH(parse_percent("%", "--threshold"), "malformed percentage '%'");
    CHECK_THROWS_WITH(parse_percent("150", "--threshold"), "percentage '150' is above 100");
}
