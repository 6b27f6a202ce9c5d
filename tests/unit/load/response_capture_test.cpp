#include "load/response_capture.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "load/http_response_parser.hpp"

using namespace benchctl;

namespace {

struct Captures {
    std::vector<CaptureRule> rules;
    std::vector<JsonPath> paths;
    std::vector<TextPattern> patterns;
};

// Rules: id <- $.id (slot 0), loc <- header Location (slot 1), token <- regex (slot 2).
Captures id_location_token() {
    Captures c;
    std::string error;
    c.paths.push_back(*parse_json_path("$.id", error));
    c.patterns.emplace_back("token=(\\w+)");
    c.rules.push_back({"id", 0, CaptureSource::json, "", 0, 0});
    c.rules.push_back({"loc", 1, CaptureSource::header, "location", 0, 0});
    c.rules.push_back({"token", 2, CaptureSource::regex, "", 0, 0});
    return c;
}

// Parses `response` in pieces of `piece` bytes with the capture observing; returns the values
// (or "<missing NAME>").
std::vector<std::string> capture(const std::string& response, std::size_t piece) {
    Captures c = id_location_token();
    std::vector<const JsonPath*> paths = {&c.paths[0]};
    ResponseCapture capture;
    capture.begin(c.rules, paths, &c.patterns);
    HttpResponseParser parser;
    parser.start_response(true, &capture);
    HttpResponseParser::Outcome outcome = HttpResponseParser::Outcome::need_more;
    for (std::size_t at = 0; at < response.size(); at += piece) {
        outcome = parser.feed(response.data() + at, std::min(piece, response.size() - at)).outcome;
        REQUIRE(outcome != HttpResponseParser::Outcome::error);
    }
    REQUIRE(outcome == HttpResponseParser::Outcome::response_complete);
    std::vector<CapturedValue> values(3);
    std::string_view missing;
    if (!capture.finish(values, missing))
        return {"<missing " + std::string(missing) + ">"};
    return {values[0].text, values[1].text, values[2].text};
}

const std::string k_chunked =
    "HTTP/1.1 100 Continue\r\nLocation: /not-this-one\r\n\r\n"
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Long-Header-Name: v\r\n"
    "location: /items/65542\r\nLocation: /second\r\nTransfer-Encoding: chunked\r\n\r\n"
    "9\r\n{\"id\": 65\r\n"
    "1c\r\n542, \"note\": \"token=abc123\"}\r\n"
    "0\r\n\r\n";

}  // namespace

TEST_CASE("captures take a JSON path, the first header of a name and a regex group") {
    CHECK(capture(k_chunked, k_chunked.size()) ==
          std::vector<std::string>{"65542", "/items/65542", "abc123"});
}

TEST_CASE("captures are the same whatever the reads split the response into") {
    for (std::size_t piece : {1, 2, 5, 17})
        CHECK(capture(k_chunked, piece) ==
              std::vector<std::string>{"65542", "/items/65542", "abc123"});
}

TEST_CASE("a capture that finds nothing is named") {
    const std::string body = "{\"id\": 1, \"t\": \"token=x9\"}";
    const std::string no_header =
        "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    CHECK(capture(no_header, 4) == std::vector<std::string>{"<missing loc>"});
    const std::string no_id = "HTTP/1.1 200 OK\r\nLocation: /a\r\nContent-Length: 2\r\n\r\n[]";
    CHECK(capture(no_id, 3) == std::vector<std::string>{"<missing id>"});
}
