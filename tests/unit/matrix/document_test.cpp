// The located YAML tree: anchors and aliases are copied, and bounded so that a hostile file
// cannot expand without limit.

#include "matrix/document.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "matrix/problem_list.hpp"
#include "matrix_test_support.hpp"

using namespace benchctl;
using benchctl::testing::problems_of;

namespace {

// "Billion laughs": level 0 holds 9 strings, every further level 9 aliases of the one before,
// so 9 levels ask for 9^9 (387 million) copies from under 1 KB of text.
std::string alias_bomb(int levels) {
    std::string text = "name: t\naxes: {mode: [a]}\ntarget: {command: [s, \"${port}\"]}\n";
    text += "x0: &a0 [l, l, l, l, l, l, l, l, l]\n";
    for (int level = 1; level < levels; ++level) {
        text += "x" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
        for (int i = 0; i < 9; ++i)
            text += (i ? ", *a" : "*a") + std::to_string(level - 1);
        text += "]\n";
    }
    return text;
}

}  // namespace

TEST_CASE("an alias copies the anchored value with the anchor's locations") {
    ProblemList problems;
    std::optional<DocNode> document =
        parse_document("base: &b {x: \"1\", y: [2]}\nuse: *b\n", "m.yaml", problems);
    REQUIRE(problems.empty());
    REQUIRE(document);
    const DocNode* use = document->find("use");
    REQUIRE(use != nullptr);
    REQUIRE(use->is_map());
    CHECK(use->find("x")->scalar == "1");
    CHECK(use->find("y")->items.at(0).scalar == "2");
    CHECK(use->where.to_string() == "m.yaml:1:7");
}

TEST_CASE("an alias bomb is rejected at the alias that goes past the limit") {
    std::string text = alias_bomb(9);
    REQUIRE(text.size() < 1024);
    std::string problems = problems_of(text);
    CHECK(problems ==
          "m.yaml:9:10: error: aliases repeat more than 100000 values in all (*a4 repeats 66430 "
          "here); an alias copies its whole anchored value; anchor smaller parts, or write the "
          "values out\n");
}

TEST_CASE("aliases within the limit are expanded in full") {
    ProblemList problems;
    std::optional<DocNode> document = parse_document(alias_bomb(5), "m.yaml", problems);
    REQUIRE(document);
    CHECK(problems.empty());
    CHECK(document->find("x4")->items.at(8).items.at(8).items.at(8).items.size() == 9);
}

TEST_CASE("lists nested past the parser's depth are a problem, not a crash") {
    std::string text = "name: t\nload: " + std::string(3000, '[') + std::string(3000, ']') + "\n";
    std::string problems = problems_of(text);
    CHECK(problems.find("error: lists and maps are nested too deeply for the YAML parser") !=
          std::string::npos);
}

TEST_CASE("a --set value with an alias bomb is refused like the file's") {
    std::string bomb = "[&a [l, l, l, l, l, l, l, l, l, l]";
    for (int level = 0; level < 6; ++level) {
        bomb += std::string(", &b") + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) {
            bomb += (i ? ", *" : "*") +
                    (level == 0 ? std::string("a") : "b" + std::to_string(level - 1));
        }
        bomb += "]";
    }
    bomb += "]";
    CHECK_THROWS_WITH(parse_override_value(bomb, {"--set axes.mode", 0, 0}),
                      Catch::Contains("aliases repeat more than 100000 values"));
}
