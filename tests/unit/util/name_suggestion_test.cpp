#include "util/name_suggestion.hpp"

#include <catch2/catch.hpp>

using namespace benchctl;

TEST_CASE("edit distance counts insertions, deletions, substitutions and transpositions") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "abc") == 0);
    CHECK(edit_distance("connections", "connectoins") == 1);
    CHECK(edit_distance("label", "lable") == 1);
    CHECK(edit_distance("threads", "thread") == 1);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("suggests the nearest known name when it is close enough") {
    std::vector<std::string> keys{"url", "path", "threads", "connections", "duration"};
    CHECK(closest_name("connectoins", keys) == std::optional<std::string>("connections"));
    CHECK(closest_name("durtion", keys) == std::optional<std::string>("duration"));
    CHECK_FALSE(closest_name("something_else", keys).has_value());
    CHECK_FALSE(closest_name("durtion", keys, 0).has_value());
}

TEST_CASE("the hint says did you mean, or lists the known names") {
    std::vector<std::string> keys{"command", "shell"};
    CHECK(unknown_name_hint("comand", keys) == "did you mean 'command'?");
    CHECK(unknown_name_hint("xyzzy_frob", keys) == "known keys: command, shell");
    CHECK(unknown_name_hint("xyzzy_frob", {}) == "");
}
