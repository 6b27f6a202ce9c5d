#include "util/cpu_list.hpp"

#include <catch2/catch.hpp>

#include "util/error.hpp"

using namespace benchctl;

namespace {

std::string error_of(const std::string& text) {
    try {
        parse_cpu_list(text, "load.cpus");
    } catch (const UserError& error) {
        return std::string(error.what()) + " @ " + error.where();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a CPU list reads as taskset -c writes it: numbers, ranges, commas") {
    CHECK(parse_cpu_list("0", "cpus") == std::vector<unsigned>{0});
    CHECK(parse_cpu_list("1-3", "cpus") == std::vector<unsigned>{1, 2, 3});
    CHECK(parse_cpu_list("0,2-3", "cpus") == std::vector<unsigned>{0, 2, 3});
    // Ascending and each once, whatever the order written.
    CHECK(parse_cpu_list("3,0-1,1", "cpus") == std::vector<unsigned>{0, 1, 3});
}

TEST_CASE("a malformed CPU list is refused naming where it was given") {
    for (const char* text : {"", "a", "3-1", "1,", "-1", "1-", "0 1", "4096"})
        CHECK_THAT(error_of(text), Catch::Contains("load.cpus"));
}

TEST_CASE("a CPU list is written back with ranges") {
    CHECK(format_cpu_list({0, 1, 2, 5}) == "0-2,5");
    CHECK(format_cpu_list({1}) == "1");
    CHECK(format_cpu_list({}).empty());
}

TEST_CASE("the CPUs benchctl may use are known, and one beyond them is named") {
    const std::vector<unsigned> usable = usable_cpus();
    REQUIRE_FALSE(usable.empty());
    CHECK(first_unusable_cpu(usable) == -1);
    CHECK(first_unusable_cpu({usable.front(), 4095}) == 4095);
    CHECK(pin_current_thread({}));
}
