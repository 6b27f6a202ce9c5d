#include "load/data_set.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "load/request_spec.hpp"

using namespace benchctl;

namespace {

DataSet csv(std::string_view text) {
    return DataSet::parse(text, "tasks.csv", DataFormat::csv, {"m.yaml", 2, 5});
}

DataSet jsonl(std::string_view text) {
    return DataSet::parse(text, "tasks.jsonl", DataFormat::jsonl, {"m.yaml", 2, 5});
}

std::string text_at(const DataSet& set, std::size_t row, std::size_t field) {
    return std::string(set.value(row, field).text);
}

// The SpecError a data file raises, as "where: what".
std::string error_of(std::string_view text, DataFormat format) {
    try {
        DataSet::parse(text, "tasks.csv", format, {"m.yaml", 2, 5});
    } catch (const SpecError& error) {
        return error.location().to_string() + ": " + error.what();
    }
    FAIL("the data file was accepted");
    return "";
}

}  // namespace

TEST_CASE("a CSV data set takes its fields from the header row and reads RFC 4180 quoting") {
    const DataSet set =
        csv("title,description\r\n"
            "plain,\"with, comma\"\r\n"
            "\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
            "Écrire & lire,\"\"\r\n");
    REQUIRE(set.fields() == std::vector<std::string>{"title", "description"});
    REQUIRE(set.row_count() == 3);
    CHECK(text_at(set, 0, 1) == "with, comma");
    CHECK(text_at(set, 1, 0) == "say \"hi\"");
    CHECK(text_at(set, 1, 1) == "two\nlines");
    CHECK(text_at(set, 2, 0) == "Écrire & lire");
    CHECK(text_at(set, 2, 1).empty());
    CHECK_FALSE(set.value(0, 0).json);
    CHECK(set.field_index("description") == 1u);
    CHECK_FALSE(set.field_index("name"));
}

TEST_CASE("a CSV data set skips a byte-order mark and blank lines, and needs no final newline") {
    const DataSet set = csv("\xEF\xBB\xBFtitle\n\na\n\nb");
    CHECK(set.fields() == std::vector<std::string>{"title"});
    CHECK(set.row_count() == 2);
    CHECK(text_at(set, 1, 0) == "b");
}

TEST_CASE("a malformed CSV data set is reported at the data file's line") {
    CHECK(error_of("a,b\n1,2\n3\n", DataFormat::csv) ==
          "tasks.csv:3: row has 1 field, the header has 2");
    CHECK(error_of("a,b\n1,\"open\n2,3\n", DataFormat::csv) ==
          "tasks.csv:2:3: a quoted field never ends");
    CHECK(error_of("a,b\n1,x\"y\n", DataFormat::csv) ==
          "tasks.csv:2:4: a quote inside a field that does not start with one");
    CHECK(error_of("a,b\n1,\"x\"y\n", DataFormat::csv) ==
          "tasks.csv:2:6: text after the closing quote of a field");
    CHECK(error_of("a,a\n1,2\n", DataFormat::csv) ==
          "tasks.csv:1: field 'a' is named twice in the header");
    CHECK(error_of("a,b\n", DataFormat::csv) == "m.yaml:2:5: data file 'tasks.csv' has no rows");
}

TEST_CASE("a JSON Lines data set keeps JSON values as JSON and strings as text") {
    const DataSet set = jsonl(
        "{\"title\": \"a \\\"b\\\"\", \"n\": 5}\n"
        "\n"
        "{\"title\": \"c\", \"tags\": [\"x\"]}\n");
    REQUIRE(set.fields() == std::vector<std::string>{"title", "n", "tags"});
    REQUIRE(set.row_count() == 2);
    CHECK(text_at(set, 0, 0) == "a \"b\"");
    CHECK_FALSE(set.value(0, 0).json);
    CHECK(text_at(set, 0, 1) == "5");
    CHECK(set.value(0, 1).json);
    CHECK(text_at(set, 0, 2) == "null");  // a row without the field holds null
    CHECK(text_at(set, 1, 2) == "[\"x\"]");
}

TEST_CASE("a malformed JSON Lines data set is reported at its line") {
    CHECK(error_of("{\"a\": 1}\n{\"a\": \n", DataFormat::jsonl) ==
          "tasks.csv:2: line is not valid JSON");
    CHECK(error_of("{\"a\": 1}\n\n[1]\n", DataFormat::jsonl) ==
          "tasks.csv:3: line is a JSON value but not an object");
}

TEST_CASE("a data file that cannot be read is reported where it is named") {
    try {
        DataSet::load("/nonexistent/tasks.csv", DataFormat::csv, {"m.yaml", 4, 13});
        FAIL("a missing file was read");
    } catch (const SpecError& error) {
        CHECK(error.location().to_string() == "m.yaml:4:13");
        CHECK(std::string(error.what()) == "data file '/nonexistent/tasks.csv' cannot be read");
    }
}

TEST_CASE("the format comes from its name or the file's extension; picks are named") {
    CHECK(data_format("", "a/b.csv") == DataFormat::csv);
    CHECK(data_format("", "b.jsonl") == DataFormat::jsonl);
    CHECK(data_format("", "b.ndjson") == DataFormat::jsonl);
    CHECK(data_format("jsonl", "b.txt") == DataFormat::jsonl);
    CHECK_FALSE(data_format("", "b.txt"));
    CHECK_FALSE(data_format("xml", "b.csv"));
    CHECK(parse_pick_mode("unique") == PickMode::unique);
    CHECK_FALSE(parse_pick_mode("uniq"));
}
