#include "import/siege_parser.hpp"

#include <catch2/catch.hpp>

#include "import_test_support.hpp"
#include "report/text/siege_summary.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

using namespace benchctl;
using namespace benchctl::test;

namespace {

std::vector<std::string> rendered_lines(const ImportedCell& cell) {
    const LoadDocument document = from_load_document(
        JsonField(to_imported_load_document(cell.settings, cell.result, cell.summary), "", ""));
    return split_lines(render_siege_summary(compute_siege_summary(document)));
}

}  // namespace

TEST_CASE("reads every figure of siege's summary in source 002") {
    const ImportedDocument document = parse_siege_file(reference_source(k_source_002));
    REQUIRE(document.cells.size() == 4);
    const ImportedCell& sync = document.cells[0];
    CHECK(sync.result.requests.completed == 21);
    CHECK(sync.result.requests.failed == 5);
    CHECK(sync.result.duration_sec == Approx(59.76));
    CHECK(sync.result.bytes_read == 0);
    CHECK(sync.summary.latency.mean->ms() == Approx(16820));
    CHECK(sync.summary.latency.max->ms() == Approx(19630));
    CHECK(sync.summary.latency.min->ms() == Approx(2810));
    CHECK(sync.summary.requests_per_sec == Approx(0.35));
    CHECK(sync.summary.source_figures.at("availability_pct") == 80.77);
    CHECK(sync.summary.source_figures.at("concurrency") == 5.91);
    CHECK(sync.summary.source_figures.at("successful") == 21);
    CHECK(sync.summary.source_figures.at("failed") == 5);
    CHECK(sync.settings.connections == 25);  // "Preparing 25 concurrent users"
    CHECK(sync.summary.source->format == "siege");
    CHECK(sync.summary.source->line == 25);
    CHECK(document.cells[3].result.requests.completed == 35470);
}

TEST_CASE("counts siege's failures by the kind its error lines name") {
    const ImportedDocument document = parse_siege_file(reference_source(k_source_002));
    const ErrorCounts& errors = document.cells[0].result.errors;
    CHECK(errors.read == 5);  // five "[error] socket: read error" lines
    CHECK(errors.total() == 5);
    CHECK(document.cells[1].result.errors.total() == 0);
}

TEST_CASE("every siege summary of source 002 renders back line for line") {
    const SourceText source = reference_source(k_source_002);
    const ImportedDocument document = parse_siege_file(source);
    const auto expected = siege_blocks(source.lines);
    REQUIRE(expected.size() == 4);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("summary " << i + 1);
        CHECK(rendered_lines(document.cells[i]) == expected[i]);
    }
}

TEST_CASE("splits unexplained failures as read errors after the explained kinds") {
    const SourceText source =
        make_source_text("s.txt", R"([error] socket: unable to connect sock.c:249
[alert] socket: read check timed out(30) sock.c:273
Transactions:                100 hits
Availability:              97.09 %
Elapsed time:              10.00 secs
Data transferred:           1.50 MB
Response time:              0.10 secs
Transaction rate:          10.00 trans/sec
Throughput:                 0.15 MB/sec
Concurrency:                1.00
Successful transactions:      90
Failed transactions:           3
Longest transaction:        0.50
Shortest transaction:       0.01
)");
    const ImportedCell cell = parse_siege_file(source).cells.at(0);
    CHECK(cell.result.errors.connect == 1);
    CHECK(cell.result.errors.timeout == 1);
    CHECK(cell.result.errors.read == 1);
    CHECK(cell.summary.non_2xx_3xx == 10);
    CHECK(rendered_lines(cell) == siege_blocks(source.lines).at(0));
}

TEST_CASE("names file and line of a siege summary that stops short") {
    const SourceText source = make_source_text("s.txt", R"(Transactions:                 21 hits
Availability:              80.77 %
Elapsed time:              fast
)");
    CHECK_THAT(error_message([&] { parse_siege_file(source); }),
               Catch::Contains("s.txt:3") && Catch::Contains("Elapsed time:"));
    const SourceText cut = make_source_text("c.txt", "Transactions:   21 hits\n");
    CHECK_THAT(error_message([&] { parse_siege_file(cut); }),
               Catch::Contains("c.txt:1") && Catch::Contains("Availability:") &&
                   Catch::Contains("end of the siege output"));
    CHECK_THROWS_WITH(parse_siege_file(make_source_text("n.txt", "hello\n")),
                      Catch::Contains("no siege summary"));
}

TEST_CASE("siege figures out of range are refused: availability above 100 %, huge counts") {
    const std::string summary = R"(Transactions:                 21 hits
Availability:              {}
Elapsed time:              59.76 secs
Data transferred:           0.00 MB
Response time:             16.82 secs
Transaction rate:           0.35 trans/sec
Throughput:                 0.00 MB/sec
Concurrency:                5.91
Successful transactions:      21
Failed transactions:           {}
Longest transaction:       19.63
Shortest transaction:       2.81
)";
    auto parse = [&](const std::string& availability, const std::string& failed) {
        std::string text = summary;
        text.replace(text.find("{}"), 2, availability);
        text.replace(text.find("{}"), 2, failed);
        return error_message([&] { parse_siege_file(make_source_text("s.txt", text)); });
    };
    CHECK_THAT(parse("460000000000000000000.00 %", "5"),
               Catch::Contains("s.txt:2") && Catch::Contains("out of range"));
    CHECK_THAT(parse("150.00 %", "5"),
               Catch::Contains("s.txt:2") && Catch::Contains("an availability of at most 100 %"));
    CHECK_THAT(parse("80.77 %", "18446744073709551615"),
               Catch::Contains("s.txt:10") && Catch::Contains("out of range"));
    CHECK(parse("80.77 %", "5") == "no error");
}
