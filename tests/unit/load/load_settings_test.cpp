#include "load/load_settings.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <limits>
#include <string>

#include "load/load_result.hpp"
#include "load/request.hpp"
#include "util/error.hpp"

using namespace benchctl;
using namespace std::chrono_literals;

namespace {

LoadSettings settings_for(const std::string& url) {
    LoadSettings settings;
    settings.url = parse_url(url, "URL argument");
    return settings;
}

// The flag named by the UserError validate_load_settings throws; fails the test when it throws
// none.
std::string rejected_flag(const LoadSettings& settings) {
    try {
        validate_load_settings(settings, LoadSettingNames::flags());
    } catch (const UserError& error) {
        return error.where();
    }
    FAIL("validate_load_settings accepted the settings");
    return "";
}

}  // namespace

TEST_CASE("renders a GET with only the Host header") {
    const LoadSettings settings = settings_for("http://127.0.0.1:8000/a/b?x=1");
    CHECK(render_request(settings) == "GET /a/b?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n");
}

TEST_CASE("renders user headers in command-line order after Host") {
    LoadSettings settings = settings_for("http://h/");
    settings.headers = {{"X-B", "2"}, {"Accept", "*/*"}, {"X-A", "1"}};
    CHECK(render_request(settings) ==
          "GET / HTTP/1.1\r\nHost: h\r\nX-B: 2\r\nAccept: */*\r\nX-A: 1\r\n\r\n");
}

TEST_CASE("lets a user Host header of any case replace the URL's") {
    LoadSettings settings = settings_for("http://127.0.0.1:8000/");
    settings.headers = {{"X-A", "1"}, {"host", "example.com"}};
    CHECK(render_request(settings) == "GET / HTTP/1.1\r\nHost: example.com\r\nX-A: 1\r\n\r\n");
}

TEST_CASE("computes Content-Length from the body and ignores the user's") {
    LoadSettings settings = settings_for("http://h/items");
    settings.method = "PUT";
    settings.headers = {{"Content-Type", "application/json"}, {"content-length", "999"}};
    settings.body = R"({"id":1})";
    CHECK(render_request(settings) ==
          "PUT /items HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
          "Content-Length: 8\r\n\r\n{\"id\":1}");
}

TEST_CASE("sends Content-Length 0 for a POST without a body but none for a bodiless GET") {
    LoadSettings settings = settings_for("http://h/");
    settings.method = "POST";
    CHECK(render_request(settings) == "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
    settings.method = "DELETE";
    CHECK(render_request(settings) == "DELETE / HTTP/1.1\r\nHost: h\r\n\r\n");
}

TEST_CASE("expects no response body for HEAD only") {
    CHECK(response_has_no_body("HEAD"));
    CHECK_FALSE(response_has_no_body("GET"));
    CHECK_FALSE(response_has_no_body("POST"));
}

TEST_CASE("accepts the default settings") {
    CHECK_NOTHROW(validate_load_settings(settings_for("http://h/"), LoadSettingNames::flags()));
}

TEST_CASE("requires at least one thread and a connection per thread") {
    LoadSettings settings = settings_for("http://h/");
    settings.threads = 0;
    CHECK(rejected_flag(settings) == "-t");
    settings.threads = 4;
    settings.connections = 3;
    CHECK(rejected_flag(settings) == "-c");
    settings.connections = 4;
    CHECK_NOTHROW(validate_load_settings(settings, LoadSettingNames::flags()));
}

TEST_CASE("requires -n to give each connection a request") {
    LoadSettings settings = settings_for("http://h/");
    settings.stop_rule = StopRule::requests;
    settings.connections = 10;
    settings.total_requests = 9;
    CHECK(rejected_flag(settings) == "-n");
    settings.total_requests = 10;
    CHECK_NOTHROW(validate_load_settings(settings, LoadSettingNames::flags()));
}

TEST_CASE("requires at least one iteration per connection") {
    LoadSettings settings = settings_for("http://h/");
    settings.stop_rule = StopRule::iterations;
    settings.iterations = 0;
    CHECK(rejected_flag(settings) == "--iterations");
    settings.iterations = 1;
    CHECK_NOTHROW(validate_load_settings(settings, LoadSettingNames::flags()));
}

TEST_CASE("requires a positive duration only when the run is timed") {
    LoadSettings settings = settings_for("http://h/");
    settings.duration = 0s;
    CHECK(rejected_flag(settings) == "-d");
    settings.stop_rule = StopRule::requests;
    settings.total_requests = 100;
    CHECK_NOTHROW(validate_load_settings(settings, LoadSettingNames::flags()));
}

TEST_CASE("requires a positive finite rate and timeout") {
    LoadSettings settings = settings_for("http://h/");
    for (double rate : {0.0, -5.0, std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::quiet_NaN()}) {
        settings.rate_per_sec = rate;
        CHECK(rejected_flag(settings) == "-R");
    }
    settings.rate_per_sec = 0.5;
    CHECK_NOTHROW(validate_load_settings(settings, LoadSettingNames::flags()));
    settings.timeout = 0ns;
    CHECK(rejected_flag(settings) == "--timeout");
}

TEST_CASE("requires the method to be an HTTP token") {
    LoadSettings settings = settings_for("http://h/");
    for (const char* method : {"", "GET /x", "G\r\nET", "G\xC3\x89T"}) {
        settings.method = method;
        CHECK(rejected_flag(settings) == "--method");
    }
    settings.method = "PROPFIND";
    CHECK_NOTHROW(validate_load_settings(settings, LoadSettingNames::flags()));
}

TEST_CASE("rejects header names that are not tokens and values that would split the request") {
    LoadSettings settings = settings_for("http://h/");
    settings.headers = {{"Bad Name", "x"}};
    CHECK(rejected_flag(settings) == "-H");
    settings.headers = {{"X-Ok", "a\r\nX-Injected: 1"}};
    CHECK(rejected_flag(settings) == "-H");
    settings.headers = {{"X-Ok", "a, b; q=0.5"}};
    CHECK_NOTHROW(validate_load_settings(settings, LoadSettingNames::flags()));
}

TEST_CASE("names the stop rules as the result document does") {
    CHECK(std::string(stop_rule_name(StopRule::duration)) == "duration");
    CHECK(std::string(stop_rule_name(StopRule::requests)) == "requests");
    CHECK(std::string(stop_rule_name(StopRule::iterations)) == "iterations");
}

TEST_CASE("counts statuses outside 200..399 as non-2xx/3xx") {
    LoadResult result;
    result.status_codes = {{101, 1}, {199, 2}, {200, 100}, {304, 7}, {399, 1}, {400, 3}, {503, 4}};
    CHECK(result.non_2xx_3xx() == 1 + 2 + 3 + 4);
}

TEST_CASE("derives rates from the measured duration and reports 0 for an empty run") {
    LoadResult result;
    result.requests.completed = 500;
    result.bytes_read = 2000;
    CHECK(result.requests_per_sec() == 0.0);
    result.duration_sec = 2.0;
    CHECK(result.requests_per_sec() == Approx(250.0));
    CHECK(result.bytes_read_per_sec() == Approx(1000.0));
}

TEST_CASE("adds error counts kind by kind") {
    ErrorCounts total{1, 2, 3, 4, 5};
    total.add(ErrorCounts{10, 20, 30, 40, 50});
    CHECK(total.connect == 11);
    CHECK(total.read == 22);
    CHECK(total.write == 33);
    CHECK(total.timeout == 44);
    CHECK(total.parse == 55);
    CHECK(total.total() == 165);
}
