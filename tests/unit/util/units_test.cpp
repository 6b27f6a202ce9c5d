#include "util/units.hpp"

#include <catch2/catch.hpp>

using benchctl::format_binary;
using benchctl::format_metric;
using benchctl::format_time_s;
using benchctl::format_time_us;
using benchctl::pad_units;

TEST_CASE("formats microseconds as wrk does") {
    CHECK(format_time_us(0) == "0.00us");
    CHECK(format_time_us(635.91) == "635.91us");
    CHECK(format_time_us(849) == "849.00us");
    CHECK(format_time_us(12920) == "12.92ms");
    CHECK(format_time_us(570100) == "570.10ms");
    CHECK(format_time_us(1.2e6) == "1.20s");
    CHECK(format_time_us(120e6) == "2.00m");
}

TEST_CASE("moves to the next unit at 85 percent of it") {
    CHECK(format_time_us(849.99) == "849.99us");
    CHECK(format_time_us(850) == "0.85ms");
    CHECK(format_time_us(900) == "0.90ms");
    CHECK(format_metric(849) == "849.00");
    CHECK(format_metric(850) == "0.85k");
    CHECK(format_binary(870) == "870.00");
    CHECK(format_binary(871) == "0.85K");
}

TEST_CASE("switches to the seconds ladder only from one second on as wrk does") {
    CHECK(format_time_us(999999) == "1000.00ms");
    CHECK(format_time_us(1e6) == "1.00s");
    CHECK(format_time_us(51e6) == "0.85m");
}

TEST_CASE("never reaches the last unit of a ladder as wrk does") {
    CHECK(format_time_us(7200e6) == "120.00m");
    CHECK(format_time_s(3600) == "60m");
    CHECK(format_binary(1024.0 * 1024 * 1024 * 1024 * 1024) == "1024.00T");
    CHECK(format_metric(1e15) == "1000.00T");
}

TEST_CASE("formats bytes in powers of 1024 without the B") {
    CHECK(format_binary(512) == "512.00");
    CHECK(format_binary(1.5 * 1024 * 1024) == "1.50M");
    CHECK(format_binary(78894858) == "75.24M");
    CHECK(format_binary(3.25 * 1024 * 1024 * 1024) == "3.25G");
}

TEST_CASE("formats counts in powers of 1000") {
    CHECK(format_metric(1370) == "1.37k");
    CHECK(format_metric(318.64) == "318.64");
    CHECK(format_metric(2.91e6) == "2.91M");
    CHECK(format_metric(1000) == "1.00k");
}

TEST_CASE("formats a test duration in whole units") {
    CHECK(format_time_s(10) == "10s");
    CHECK(format_time_s(30) == "30s");
    CHECK(format_time_s(50) == "50s");
    CHECK(format_time_s(51) == "1m");
    CHECK(format_time_s(120) == "2m");
}

TEST_CASE("pads like wrk's print_units so unit suffixes replace trailing spaces") {
    CHECK(pad_units("84.83ms", 8) == " 84.83ms");
    CHECK(pad_units("1.37k", 8) == "  1.37k ");
    CHECK(pad_units("318.64", 10) == "  318.64  ");
    CHECK(pad_units("570.10ms", 9) == " 570.10ms");
    CHECK(pad_units("1.20s", 9) == "   1.20s ");
}

TEST_CASE("pads text wider than its field by cutting it as printf's precision does") {
    CHECK(pad_units("123456789", 5) == "123  ");
    CHECK(pad_units("1234.56ms", 8) == "1234.56m");
}
