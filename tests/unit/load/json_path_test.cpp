#include "load/json_path.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace benchctl;

namespace {

JsonPath path(const std::string& text) {
    std::string error;
    std::optional<JsonPath> parsed = parse_json_path(text, error);
    REQUIRE(parsed);
    return *parsed;
}

// The values found at `paths` in `document`, fed in pieces of `piece` bytes; "<none>" for a path
// that found nothing. String values as text, others as their JSON text prefixed with '='.
std::vector<std::string> extract(const std::string& document, const std::vector<std::string>& paths,
                                 std::size_t piece) {
    std::vector<JsonPath> parsed;
    for (const std::string& text : paths)
        parsed.push_back(path(text));
    std::vector<const JsonPath*> pointers;
    for (const JsonPath& p : parsed)
        pointers.push_back(&p);
    JsonPathExtractor extractor;
    extractor.reset(pointers);
    for (std::size_t at = 0; at < document.size(); at += piece)
        extractor.feed(document.data() + at, std::min(piece, document.size() - at));
    extractor.finish();
    std::vector<std::string> values;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (!extractor.found(i))
            values.push_back("<none>");
        else
            values.push_back((extractor.is_json(i) ? "=" : "") + extractor.value(i));
    }
    return values;
}

const std::string k_document = R"( {"worker": {"id": 65542, "name": "w\"1\" \u00e9\ud83d\ude00",
  "jobs": [{"id": 1}, {"id": 4904, "tags": ["a", {"x": null}]}], "ok": true},
  "id": "top", "list": [], "empty": {}, "odd key": -1.5e3, "ids": [7,8] })";

const std::vector<std::string> k_paths = {
    "$.worker.id", "$.worker.name", "$.worker.jobs[1].id", "$.worker.jobs[1].tags",
    "$.worker.ok", "$.id",          "$['odd key']",        "$.ids[1]",
    "$.list",      "$.empty",       "$.missing",           "$.worker.jobs[2].id"};

const std::vector<std::string> k_expected = {"=65542",  "w\"1\" \xC3\xA9\xF0\x9F\x98\x80",
                                             "=4904",   "=[\"a\", {\"x\": null}]",
                                             "=true",   "top",
                                             "=-1.5e3", "=8",
                                             "=[]",     "={}",
                                             "<none>",  "<none>"};

}  // namespace

TEST_CASE("JSON paths take members, elements and quoted names; others are refused") {
    CHECK(path("$").segments.empty());
    const JsonPath p = path("$.a[2]['b c'][\"d\"]");
    REQUIRE(p.segments.size() == 4);
    CHECK(p.segments[0].key == "a");
    CHECK(p.segments[1].index == 2);
    CHECK(p.segments[2].key == "b c");
    CHECK(p.segments[3].key == "d");
    std::string error;
    for (const char* bad : {"id", "$.", "$[x]", "$[-1]", "$..a", "$.a[*]", "$['a]"})
        CHECK_FALSE(parse_json_path(bad, error));
}

TEST_CASE("values are extracted from a whole document, strings decoded, others as JSON") {
    CHECK(extract(k_document, k_paths, k_document.size()) == k_expected);
}

TEST_CASE("a document split into reads of any size gives the same values") {
    for (std::size_t piece : {1, 2, 3, 7, 64})
        CHECK(extract(k_document, k_paths, piece) == k_expected);
}

TEST_CASE("a number at the very end of a document and the whole document can be taken") {
    CHECK(extract("42", {"$"}, 1) == std::vector<std::string>{"=42"});
    CHECK(extract("{\"a\":1}", {"$"}, 1) == std::vector<std::string>{"={\"a\":1}"});
    CHECK(extract("\"s\"", {"$"}, 1) == std::vector<std::string>{"s"});
}

TEST_CASE("malformed JSON or a document nested too deeply ends the extraction") {
    CHECK(extract("{\"a\" 1, \"id\": 2}", {"$.id"}, 4) == std::vector<std::string>{"<none>"});
    CHECK(extract("{\"a\": [1 2], \"id\": 2}", {"$.id"}, 4) == std::vector<std::string>{"<none>"});
    CHECK(extract(std::string(600, '[') + std::string(600, ']'), {"$[0]"}, 100) ==
          std::vector<std::string>{"<none>"});
    // Found before the damage: kept.
    CHECK(extract("{\"id\": 3, \"x\": ?}", {"$.id"}, 2) == std::vector<std::string>{"=3"});
}

TEST_CASE("the first of duplicate members is taken, and a too long value is given up") {
    CHECK(extract("{\"id\": 1, \"id\": 2}", {"$.id"}, 3) == std::vector<std::string>{"=1"});
    const std::string long_value = "{\"v\": \"" + std::string(70 * 1024, 'x') + "\", \"id\": 5}";
    CHECK(extract(long_value, {"$.v", "$.id"}, 4096) == std::vector<std::string>{"<none>", "=5"});
}
