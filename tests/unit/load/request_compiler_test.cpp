#include "load/request_compiler.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "load/load_spec.hpp"
#include "load/request_source.hpp"

using namespace benchctl;

namespace {

namespace fs = std::filesystem;

SpecText text(const std::string& value, int line = 1) {
    return {value, {"m.yaml", line, 3}};
}

// A directory holding tasks.csv, removed with the object.
class DataDirectory {
  public:
    DataDirectory()
        : m_path(fs::temp_directory_path() / ("benchctl-req-" + std::to_string(::getpid()))) {
        fs::create_directories(m_path);
        std::ofstream(m_path / "tasks.csv")
            << "title,description\n\"a&b=c \"\"q\"\"\",\"x\ny é\"\n";
    }
    ~DataDirectory() { fs::remove_all(m_path); }
    std::string path() const { return m_path.string(); }

  private:
    fs::path m_path;
};

LoadSpec spec_for(const std::string& url) {
    LoadSpec spec;
    spec.url = url;
    return spec;
}

std::shared_ptr<const RequestModel> compile(const LoadSpec& spec,
                                            std::vector<SpecProblem>& problems,
                                            bool keepalive = true) {
    DataSetCache cache;
    const Url url = parse_url("http://127.0.0.1:8080/", "url");
    return compile_request_model(spec, url, keepalive, cache, problems);
}

// The first request the model renders (on connection 5).
std::string first_request(const RequestModel& model, std::uint64_t seed = 1) {
    DataCursors cursors(model.data.size());
    RequestSource source(model, cursors, seed, 0, 1);
    VirtualUser user;
    source.attach(user);
    std::optional<PreparedRequest> prepared = source.next(user, 5);
    REQUIRE(prepared);
    return std::string(prepared->bytes);
}

std::vector<std::string> problem_lines(const LoadSpec& spec) {
    std::vector<SpecProblem> problems;
    CHECK_FALSE(compile(spec, problems));
    std::vector<std::string> lines;
    for (const SpecProblem& problem : problems)
        lines.push_back(problem.where.to_string() + ": " + problem.what);
    return lines;
}

}  // namespace

TEST_CASE("a form body from a data set row is urlencoded with its Content-Type and length") {
    DataDirectory dir;
    LoadSpec spec = spec_for("http://127.0.0.1:8080/items");
    spec.base_directory = dir.path();
    spec.data.push_back({"tasks", {}, text("tasks.csv"), std::nullopt, std::nullopt});
    spec.request.method = text("POST");
    spec.request.body_kind = BodyKind::form;
    spec.request.form = {{"title", text("{{tasks.title}}")},
                         {"description", text("{{tasks.description}}")}};
    std::vector<SpecProblem> problems;
    auto model = compile(spec, problems);
    REQUIRE(problems.empty());
    const std::string body = "title=a%26b%3Dc+%22q%22&description=x%0Ay+%C3%A9";
    CHECK(first_request(*model) ==
          "POST /items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
          "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n" + body);
}

TEST_CASE("a json body keeps YAML's types and escapes values inside strings") {
    DataDirectory dir;
    LoadSpec spec = spec_for("http://127.0.0.1:8080/items");
    spec.base_directory = dir.path();
    spec.data.push_back({"tasks", {}, text("tasks.csv"), std::nullopt, std::nullopt});
    spec.request.method = text("PUT");
    spec.request.body_kind = BodyKind::json;
    JsonSpec json;
    json.kind = JsonSpec::Kind::map;
    auto scalar = [](JsonSpec::Kind kind, const std::string& value) {
        JsonSpec node;
        node.kind = kind;
        node.scalar = text(value);
        return node;
    };
    json.entries = {{"title", scalar(JsonSpec::Kind::string, "t: {{tasks.title}}")},
                    {"n", scalar(JsonSpec::Kind::plain, "5")},
                    {"s", scalar(JsonSpec::Kind::string, "5")},
                    {"ok", scalar(JsonSpec::Kind::plain, "True")},
                    {"none", scalar(JsonSpec::Kind::plain, "~")},
                    {"word", scalar(JsonSpec::Kind::plain, "yes")},
                    {"seq", scalar(JsonSpec::Kind::string, "{{seq}}")},
                    {"k\"ey", scalar(JsonSpec::Kind::string, "{{connection}}")}};
    spec.request.json = json;
    std::vector<SpecProblem> problems;
    auto model = compile(spec, problems);
    REQUIRE(problems.empty());
    const std::string body =
        R"({"title":"t: a&b=c \"q\"","n":5,"s":"5","ok":true,"none":null,"word":"yes",)"
        R"("seq":1,"k\"ey":5})";
    const std::string request = first_request(*model);
    CHECK(request.substr(request.find("\r\n\r\n") + 4) == body);
    CHECK(request.find("Content-Type: application/json\r\n") != std::string::npos);
}

TEST_CASE(
    "path placeholders are percent-encoded; vars are inlined; Connection: close without "
    "keep-alive") {
    LoadSpec spec = spec_for("http://127.0.0.1:8080/w/{{name}}?authorize_key={{key}}");
    spec.vars = {{"key", text("d0 f4")}, {"name", text("a/b")}};
    std::vector<SpecProblem> problems;
    auto model = compile(spec, problems, false);
    REQUIRE(problems.empty());
    REQUIRE(model->requests[0].fixed);  // nothing varies: rendered once
    CHECK(*model->requests[0].fixed ==
          "GET /w/a%2Fb?authorize_key=d0%20f4 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
          "Connection: close\r\n\r\n");
}

TEST_CASE("mix entries inherit the top level's method, headers and expected status") {
    LoadSpec spec = spec_for("http://127.0.0.1:8080/");
    spec.shape = RequestShape::mix;
    spec.request.method = text("HEAD");
    spec.request.headers = {{"X-A", text("1")}, {"Accept", text("*/*")}};
    spec.request.expect_status = {text("200")};
    RequestSpec home;
    home.name = text("home");
    home.path = text("/");
    home.weight = text("3");
    RequestSpec item;
    item.name = text("item");
    item.path = text("/items/{{random.int(1,100)}}");
    item.method = text("GET");
    item.headers = {{"accept", text("application/json")}};
    spec.entries = {home, item};
    std::vector<SpecProblem> problems;
    auto model = compile(spec, problems);
    REQUIRE(problems.empty());
    REQUIRE(model->requests.size() == 2);
    CHECK(model->requests[0].weight == 3);
    CHECK_FALSE(model->requests[0].expect_body);  // HEAD
    CHECK(*model->requests[0].fixed ==
          "HEAD / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-A: 1\r\nAccept: */*\r\n\r\n");
    CHECK(model->requests[1].expect_status == std::vector<int>{200});
    DataCursors cursors(0);
    RequestSource source(*model, cursors, 3, 0, 1);
    VirtualUser user;
    source.attach(user);
    const std::string bytes(source.next(user, 0, 1u)->bytes);
    CHECK(bytes.rfind("GET /items/", 0) == 0);
    CHECK(bytes.find("X-A: 1\r\naccept: application/json\r\n\r\n") != std::string::npos);
}

TEST_CASE("every problem of a model is reported where it was written") {
    LoadSpec spec = spec_for("http://127.0.0.1:8080/");
    spec.shape = RequestShape::mix;
    spec.data.push_back(
        {"tasks", {"m.yaml", 2, 3}, text("/nonexistent/t.csv", 2), text("uniq", 2), std::nullopt});
    spec.vars = {{"seq", text("x", 3)}};
    RequestSpec a;
    a.name = text("a", 4);
    a.path = text("/{{nope}}", 5);
    a.weight = text("0", 6);
    RequestSpec b;
    b.name = text("a", 7);
    b.path = text("b", 8);
    b.captures.push_back({"id", {"m.yaml", 9, 3}, CaptureSource::json, text("$.id", 9)});
    b.expect_status = {text("600", 10)};
    spec.entries = {a, b};
    CHECK(problem_lines(spec) == std::vector<std::string>{
                                     "m.yaml:3:3: var 'seq' has the name of a built-in",
                                     "m.yaml:2:3: unknown pick 'uniq'",
                                     "m.yaml:2:3: data file '/nonexistent/t.csv' cannot be read",
                                     "m.yaml:9:3: capture applies to the steps of a sequence",
                                     "m.yaml:6:3: weight '0' is not a positive number",
                                     "m.yaml:5:3: unknown placeholder {{nope}}",
                                     "m.yaml:7:3: two entries are named 'a'",
                                     "m.yaml:8:3: path 'b' does not start with '/'",
                                     "m.yaml:10:3: malformed status '600'",
                                 });
}

TEST_CASE("to_load_settings leaves a fixed request without a model, and names a model's problem") {
    LoadSpec spec = spec_for("http://127.0.0.1:8080/a");
    spec.request.body_kind = BodyKind::raw;
    spec.request.body = text("plain");
    CHECK_FALSE(to_load_settings(spec, LoadSettingNames::flags()).requests);
    spec.request.body = text("{{uuid}}");
    CHECK(to_load_settings(spec, LoadSettingNames::flags()).requests);
    spec.request.body = text("{{uuid");
    try {
        to_load_settings(spec, LoadSettingNames::flags());
        FAIL("an unclosed placeholder was accepted");
    } catch (const SpecError& error) {
        CHECK(error.where() == "m.yaml:1:3");
    }
    spec.url = "http://{{host}}:8080/";
    CHECK_THROWS_AS(to_load_settings(spec, LoadSettingNames::flags()), UserError);
}
