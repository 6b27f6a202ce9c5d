#include "import/wrk_units.hpp"

#include <catch2/catch.hpp>

#include "util/units.hpp"

using namespace benchctl;

TEST_CASE("reads wrk's times back into microseconds") {
    CHECK(parse_wrk_time_us("635.91us").value() == Approx(635.91));
    CHECK(parse_wrk_time_us("84.83ms").value() == Approx(84830));
    CHECK(parse_wrk_time_us("1.20s").value() == Approx(1.2e6));
    CHECK(parse_wrk_time_us("2.00m").value() == Approx(120e6));
}

TEST_CASE("reads wrk's byte amounts in powers of 1024, with the trailing B") {
    CHECK(parse_wrk_bytes("512.00B").value() == Approx(512));
    CHECK(parse_wrk_bytes("867.71KB").value() == Approx(867.71 * 1024));
    CHECK(parse_wrk_bytes("75.24MB").value() == Approx(75.24 * 1024 * 1024));
}

TEST_CASE("reads wrk's counts in powers of 1000") {
    CHECK(parse_wrk_metric("318.64").value() == Approx(318.64));
    CHECK(parse_wrk_metric("1.37k").value() == Approx(1370));
    CHECK(parse_wrk_metric("0.95k").value() == Approx(950));
}

TEST_CASE("reads a test duration in whole seconds, minutes or hours") {
    CHECK(parse_wrk_seconds("10s").value() == 10);
    CHECK(parse_wrk_seconds("2m").value() == 120);
    CHECK(parse_wrk_seconds("1h").value() == 3600);
}

TEST_CASE("every value read formats back to the same text") {
    for (const char* text : {"84.83ms", "570.10ms", "1.20s", "0.90ms", "2.00s", "6.95ms"})
        CHECK(format_time_us(parse_wrk_time_us(text).value()) == text);
    for (const char* text : {"1.37k", "318.64", "2.91k", "1.00k", "830.00", "0.95k"})
        CHECK(format_metric(parse_wrk_metric(text).value()) == text);
}

TEST_CASE("a value printed just below a unit boundary reads back to one that prints the same") {
    // wrk printed 849.996us as "850.00us"; 850 itself would print as "0.85ms".
    const double us = parse_wrk_time_us("850.00us").value();
    CHECK(us == Approx(850));
    CHECK(format_time_us(us) == "850.00us");
    const double count = parse_wrk_metric("850.00").value();
    CHECK(format_metric(count) == "850.00");
}

TEST_CASE("refuses what is not a number with one of the ladder's units") {
    CHECK_FALSE(parse_wrk_time_us("84.83"));
    CHECK_FALSE(parse_wrk_time_us("ms"));
    CHECK_FALSE(parse_wrk_time_us("84.83xs"));
    CHECK_FALSE(parse_wrk_bytes("75.24M"));
    CHECK_FALSE(parse_wrk_metric("1.37q"));
    CHECK_FALSE(parse_wrk_metric("-3"));
    CHECK_FALSE(parse_wrk_seconds("10"));
}
