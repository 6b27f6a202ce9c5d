#include "load/load_spec.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "util/error.hpp"

using namespace benchctl;
using namespace std::chrono_literals;

namespace {

LoadSpec spec_for(const std::string& url) {
    LoadSpec spec;
    spec.url = url;
    return spec;
}

// The UserError to_load_settings throws for `spec`, as "<where>; <hint>"; fails the test when it
// throws none.
std::string rejection(const LoadSpec& spec, const LoadSettingNames& names) {
    try {
        to_load_settings(spec, names);
    } catch (const UserError& error) {
        return error.where() + "; " + error.hint();
    }
    FAIL("to_load_settings accepted the spec");
    return "";
}

}  // namespace

TEST_CASE("an empty spec takes benchctl load's defaults") {
    const LoadSettings settings =
        to_load_settings(spec_for("http://h/"), LoadSettingNames::flags());
    CHECK(settings.threads == 2);
    CHECK(settings.connections == 10);
    CHECK(settings.stop_rule == StopRule::duration);
    CHECK(settings.duration == 10s);
    CHECK(settings.timeout == 2s);
    CHECK(settings.method == "GET");
    CHECK_FALSE(settings.warmup.enabled());
}

TEST_CASE("a warm-up with a time unit is a period and one without is a number of requests") {
    CHECK(parse_warmup("2s", "--warmup").period == std::chrono::nanoseconds(2s));
    CHECK_FALSE(parse_warmup("2s", "--warmup").requests);
    CHECK(parse_warmup("1.5m", "--warmup").period == std::chrono::nanoseconds(90s));
    CHECK(parse_warmup("500", "--warmup").requests == 500u);
    CHECK(parse_warmup("10k", "--warmup").requests == 10'000u);
    CHECK_FALSE(parse_warmup("10k", "--warmup").period);
    CHECK_THROWS_AS(parse_warmup("10x", "--warmup"), UserError);
}

TEST_CASE("the stop rule follows the one setting given") {
    LoadSpec spec = spec_for("http://h/");
    spec.requests = "1k";
    LoadSettings settings = to_load_settings(spec, LoadSettingNames::flags());
    CHECK(settings.stop_rule == StopRule::requests);
    CHECK(settings.total_requests == 1000);
    spec.requests.reset();
    spec.iterations = "3";
    settings = to_load_settings(spec, LoadSettingNames::flags());
    CHECK(settings.stop_rule == StopRule::iterations);
    CHECK(settings.iterations == 3);
    spec.duration = "5s";
    CHECK_THROWS_AS(to_load_settings(spec, LoadSettingNames::flags()), UserError);
}

TEST_CASE("benchctl load's messages name its flags") {
    LoadSpec spec = spec_for("http://h/");
    spec.threads = "4";
    spec.connections = "3";
    CHECK(rejection(spec, LoadSettingNames::flags()) ==
          "-c; raise -c or lower -t: each thread needs a connection");
    spec.connections = "2000000";
    CHECK(rejection(spec, LoadSettingNames::flags()) == "-c; use at most 1000000");
    spec = spec_for("ftp://h/");
    CHECK(rejection(spec, LoadSettingNames::flags()).rfind("URL argument; ", 0) == 0);
    spec = spec_for("http://h/");
    spec.iterations = "0";
    CHECK(rejection(spec, LoadSettingNames::flags()) == "--iterations; use --iterations 1 or more");
}

TEST_CASE("a matrix's messages name its keys, located by the caller") {
    LoadSpec spec = spec_for("http://h/");
    spec.threads = "0";
    CHECK(rejection(spec, LoadSettingNames::keys()) == "threads; use threads: 1 or more");
    const LoadSettingNames in_cell = LoadSettingNames::keys(
        [](const std::string& key) { return "load." + key + " in cell a.b"; });
    spec.threads = "1";
    spec.requests = "many";
    CHECK(rejection(spec, in_cell).rfind("load.requests in cell a.b; ", 0) == 0);
    spec.requests = "5";
    CHECK(rejection(spec, in_cell) ==
          "load.requests in cell a.b; raise requests or lower connections: each connection sends "
          "one at least");
}
