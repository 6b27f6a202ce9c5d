#include "import/import_format.hpp"

#include <catch2/catch.hpp>

#include "import_test_support.hpp"
#include "util/error.hpp"

using namespace benchctl;
using namespace benchctl::test;

TEST_CASE("tells each source document's format from its content") {
    CHECK(detect_import_format(reference_source(k_source_000)) == ImportFormat::markdown);
    CHECK(detect_import_format(reference_source(k_source_001)) == ImportFormat::gunicorn_bench);
    CHECK(detect_import_format(reference_source(k_source_002)) == ImportFormat::siege);
    CHECK(detect_import_format(reference_source(k_source_004)) == ImportFormat::markdown);
    const std::string wrk = "Running 1s test @ http://x/\n";
    CHECK(detect_import_format(make_source_text("w.txt", wrk)) == ImportFormat::wrk);
}

TEST_CASE("a file of no known format is refused, naming it and the formats") {
    const SourceText notes = make_source_text("notes.txt", "# Notes\nhello\n");
    CHECK_THAT(error_message([&] { detect_import_format(notes); }),
               Catch::Contains("cannot tell") && Catch::Contains("gunicorn-bench"));
    try {
        detect_import_format(make_source_text("notes.txt", "hello\n"));
        FAIL("no error");
    } catch (const UserError& error) {
        CHECK(error.where() == "notes.txt");
    }
}

TEST_CASE("knows the formats by name and suggests the nearest for a typo") {
    CHECK(find_import_format("wrk") == ImportFormat::wrk);
    CHECK(find_import_format("wrk-text") == ImportFormat::wrk);
    CHECK(find_import_format("md") == ImportFormat::markdown);
    CHECK(find_import_format("gunicorn-bench") == ImportFormat::gunicorn_bench);
    CHECK_FALSE(find_import_format("ab"));
    CHECK_THROWS_WITH(parse_import_format("seige", "FORMAT"),
                      Catch::Contains("unknown import format 'seige'"));
    try {
        parse_import_format("seige", "FORMAT");
    } catch (const UserError& error) {
        CHECK_THAT(error.hint(), Catch::Contains("did you mean 'siege'"));
    }
}
