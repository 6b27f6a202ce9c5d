#include "load/request_source.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "load/load_spec.hpp"
#include "load/request_compiler.hpp"
#include "load/request_walk.hpp"

using namespace benchctl;

namespace {

SpecText source_text(const std::string& value) {
    return {value, {"m.yaml", 1, 1}};
}

RequestSpec step(const std::string& name, const std::string& path) {
    RequestSpec request;
    request.name = source_text(name);
    request.path = source_text(path);
    return request;
}

// create (POST, captures id from $.id, expects 201) -> read /items/{{id}} (expects 200).
LoadSpec create_then_read() {
    LoadSpec spec;
    spec.url = "http://127.0.0.1:8080/";
    spec.shape = RequestShape::sequence;
    RequestSpec create = step("create", "/items");
    create.method = source_text("POST");
    create.expect_status = {source_text("201")};
    create.captures.push_back({"id", {}, CaptureSource::json, source_text("$.id")});
    RequestSpec read = step("read", "/items/{{id}}");
    read.expect_status = {source_text("200")};
    spec.entries = {create, read};
    return spec;
}

std::shared_ptr<const RequestModel> compile(const LoadSpec& spec) {
    DataSetCache cache;
    std::vector<SpecProblem> problems;
    auto model = compile_request_model(spec, parse_url("http://127.0.0.1:8080/", "url"), true,
                                       cache, problems);
    REQUIRE(problems.empty());
    return model;
}

// Feeds `response` to the user's capture as the parser would, then completes it.
std::optional<CheckFailure> answer(RequestSource& source, VirtualUser& user,
                                   const std::string& response) {
    HttpResponseParser parser;
    parser.start_response(true, source.observer(user));
    REQUIRE(parser.feed(response.data(), response.size()).outcome ==
            HttpResponseParser::Outcome::response_complete);
    return source.complete(user, parser.status_code());
}

std::string json_response(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) +
           " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

TEST_CASE("a sequence sends its steps in order with the captured id, then starts over") {
    auto model = compile(create_then_read());
    DataCursors cursors(0);
    RequestSource source(*model, cursors, 1, 0, 1);
    VirtualUser user;
    source.attach(user);
    CHECK(std::string(source.next(user, 0)->bytes).rfind("POST /items ", 0) == 0);
    CHECK_FALSE(answer(source, user, json_response(201, R"({"id": 65542})")));
    CHECK(std::string(source.next(user, 0)->bytes).rfind("GET /items/65542 ", 0) == 0);
    CHECK_FALSE(answer(source, user, json_response(200, "{}")));
    CHECK(source.next(user, 0)->index == 0);  // the next pass
}

TEST_CASE("a wrong status or a capture that finds nothing fails the check and restarts") {
    auto model = compile(create_then_read());
    DataCursors cursors(0);
    RequestSource source(*model, cursors, 1, 0, 1);
    VirtualUser user;
    source.attach(user);
    source.next(user, 0);
    std::optional<CheckFailure> failure = answer(source, user, json_response(500, "{}"));
    REQUIRE(failure);
    CHECK(failure->kind == CheckFailure::Kind::status);
    CHECK(source.next(user, 0)->index == 0);
    failure = answer(source, user, json_response(201, R"({"name": "no id"})"));
    REQUIRE(failure);
    CHECK(failure->kind == CheckFailure::Kind::capture);
    CHECK(failure->capture == "id");
    CHECK(source.next(user, 0)->index == 0);
    CHECK_FALSE(answer(source, user, json_response(201, R"({"id": 1})")));
    source.next(user, 0);
    source.fail(user);  // a failure on the wire
    CHECK(source.next(user, 0)->index == 0);
}

TEST_CASE("{{seq}} numbers are unique across threads; a unique data set runs out once") {
    LoadSpec spec;
    spec.url = "http://127.0.0.1:8080/{{seq}}";
    auto model = compile(spec);
    DataCursors cursors(0);
    RequestSource first(*model, cursors, 1, 0, 2), second(*model, cursors, 2, 1, 2);
    VirtualUser a, b;
    first.attach(a);
    second.attach(b);
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        seen.insert(std::string(first.next(a, 0)->bytes).substr(0, 10));
        seen.insert(std::string(second.next(b, 1)->bytes).substr(0, 10));
    }
    CHECK(seen.size() == 100);
}

TEST_CASE("a walk renders each request once and checks each response") {
    LoadSettings settings;
    settings.requests = compile(create_then_read());
    RequestWalk walk(settings);
    std::optional<WalkRequest> create = walk.next();
    REQUIRE(create);
    CHECK(create->name == "create");
    const std::string response = json_response(201, R"({"id": 7})");
    CHECK(walk.feed(response.substr(0, 10)).state == WalkOutcome::State::need_more);
    CHECK(walk.feed(response.substr(10)).state == WalkOutcome::State::passed);
    std::optional<WalkRequest> read = walk.next();
    REQUIRE(read);
    CHECK(read->bytes.rfind("GET /items/7 HTTP/1.1\r\n", 0) == 0);
    const WalkOutcome outcome = walk.feed(json_response(404, "{}"));
    CHECK(outcome.state == WalkOutcome::State::failed);
    CHECK(outcome.reason == "read: expected status 200, got 404");
    CHECK_FALSE(walk.next());
}

TEST_CASE("a walk of a fixed request sends it once") {
    LoadSettings settings;
    settings.url = parse_url("http://127.0.0.1:8080/x", "url");
    RequestWalk walk(settings);
    std::optional<WalkRequest> request = walk.next();
    REQUIRE(request);
    CHECK(request->bytes == "GET /x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
    CHECK(walk.feed("HTTP/1.1 204 No Content\r\n\r\n").state == WalkOutcome::State::passed);
    CHECK_FALSE(walk.next());
}
