#include "import/wrk_text_parser.hpp"

#include <catch2/catch.hpp>

#include "import/markdown_headings_parser.hpp"
#include "import_test_support.hpp"
#include "report/text/wrk_text.hpp"
#include "util/error.hpp"
#include "util/json_field.hpp"

using namespace benchctl;
using namespace benchctl::test;

namespace {

const char* const k_latency_block = R"(header line
Running 30s test @ http://0.0.0.0:8000/worker/65542/job/4904?authorize_key=d0f4
  4 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    20.87ms   15.47ms 174.27ms   87.23%
    Req/Sec   100.07     34.62   212.00     67.78%
  Latency Distribution
     50%   16.76ms
     75%   24.70ms
     90%   37.48ms
     99%   83.23ms
  11984 requests in 30.09s, 5.42MB read
  Socket errors: connect 1, read 2787, write 3, timeout 4
  Non-2xx or 3xx responses: 2788
Requests/sec:    398.30
Transfer/sec:    184.38KB
trailer
)";

std::vector<ImportedCell> parse_text(const std::string& text) {
    const SourceText source = make_source_text("in.txt", text);
    return parse_wrk_text(source, 0, source.lines.size());
}

// The block as `benchctl report` renders it: through the stored document and back.
std::vector<std::string> rendered_lines(const ImportedCell& cell) {
    const LoadDocument document = from_load_document(
        JsonField(to_imported_load_document(cell.settings, cell.result, cell.summary), "", ""));
    return split_lines(render_wrk_text(document));
}

std::string error_of(const std::string& text) {
    try {
        parse_text(text);
    } catch (const UserError& error) {
        return error.message();
    }
    return "no error";
}

}  // namespace

TEST_CASE("reads every figure of a wrk summary with --latency, socket errors and non-2xx") {
    const std::vector<ImportedCell> cells = parse_text(k_latency_block);
    REQUIRE(cells.size() == 1);
    const ImportedCell& cell = cells[0];
    CHECK(cell.settings.url.text == "http://0.0.0.0:8000/worker/65542/job/4904?authorize_key=d0f4");
    CHECK(cell.settings.duration == std::chrono::seconds(30));
    CHECK(cell.settings.threads == 4);
    CHECK(cell.settings.connections == 8);
    CHECK(cell.settings.print_latency_distribution);
    const LatencySummary& latency = cell.summary.latency;
    CHECK(latency.mean->ms() == Approx(20.87));
    CHECK(latency.stddev->ms() == Approx(15.47));
    CHECK(latency.max->ms() == Approx(174.27));
    CHECK(*latency.within_stddev_pct == Approx(87.23));
    CHECK(latency.p50->ms() == Approx(16.76));
    CHECK(latency.p75->ms() == Approx(24.70));
    CHECK(latency.p90->ms() == Approx(37.48));
    CHECK(latency.p99->ms() == Approx(83.23));
    CHECK_FALSE(latency.min);
    CHECK_FALSE(latency.p95);
    CHECK(cell.summary.thread_requests_per_sec->mean == Approx(100.07));
    CHECK(cell.summary.thread_requests_per_sec->max == Approx(212));
    CHECK(cell.result.requests.completed == 11984);
    CHECK(cell.result.duration_sec == Approx(30.09));
    CHECK(cell.result.bytes_read == 5683282);  // 5.42 MiB, to the byte
    CHECK(cell.result.errors.connect == 1);
    CHECK(cell.result.errors.read == 2787);
    CHECK(cell.result.errors.write == 3);
    CHECK(cell.result.errors.timeout == 4);
    CHECK(cell.result.requests.failed == 2795);
    CHECK(cell.result.requests.started == 11984 + 2795);
    CHECK(cell.summary.non_2xx_3xx == 2788);
    CHECK(cell.summary.requests_per_sec == Approx(398.30));
    CHECK(cell.summary.bytes_read_per_sec == Approx(184.38 * 1024));
    CHECK(cell.summary.source->format == "wrk-text");
    CHECK(cell.summary.source->file == "in.txt");
    CHECK(cell.summary.source->line == 2);
}

TEST_CASE("renders an imported summary back to wrk's very lines") {
    const std::vector<ImportedCell> cells = parse_text(k_latency_block);
    const auto expected = wrk_blocks(split_lines(k_latency_block));
    CHECK(rendered_lines(cells.at(0)) == expected.at(0));
}

TEST_CASE("reads several summaries of one file in order, ignoring the text around them") {
    const std::string text = std::string(k_latency_block) + "\n$ wrk again\n" + k_latency_block;
    const std::vector<ImportedCell> cells = parse_text(text);
    REQUIRE(cells.size() == 2);
    CHECK(cells[0].summary.source->line == 2);
    CHECK(cells[1].summary.source->line == 21);
}

TEST_CASE("every wrk block of source 000 renders back line for line") {
    const SourceText source = reference_source(k_source_000);
    const ImportedDocument document = parse_markdown_headings_file(source);
    const auto expected = wrk_blocks(source.lines);
    REQUIRE(document.cells.size() == 14);
    REQUIRE(expected.size() == 14);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("block " << i + 1);
        CHECK(rendered_lines(document.cells[i]) == expected[i]);
    }
}

TEST_CASE("every wrk block of source 004 renders back line for line, distribution included") {
    const SourceText source = reference_source(k_source_004);
    const ImportedDocument document = parse_markdown_headings_file(source);
    const auto expected = wrk_blocks(source.lines);
    REQUIRE(document.cells.size() == 5);
    REQUIRE(expected.size() == 5);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("block " << i + 1);
        CHECK(rendered_lines(document.cells[i]) == expected[i]);
    }
}

TEST_CASE("names file and line and the expected wrk line of a malformed summary") {
    const std::string head = "Running 10s test @ http://127.0.0.1/\n";
    CHECK_THAT(error_of(head + "  two threads and 10 connections\n"),
               Catch::Contains("in.txt:2") &&
                   Catch::Contains("expected '<threads> threads and <connections> connections'"));
    const std::string stats = head +
                              "  2 threads and 10 connections\n"
                              "  Thread Stats   Avg      Stdev     Max   +/- Stdev\n";
    CHECK_THAT(error_of(stats + "    Latency    1.00ms   2.00ms   3.00zz   50.00%\n"),
               Catch::Contains("in.txt:4") && Catch::Contains("Latency"));
    const std::string rows = stats +
                             "    Latency    1.00ms   2.00ms   3.00ms   50.00%\n"
                             "    Req/Sec     1.00k    2.00     3.00k    40.00%\n";
    CHECK_THAT(error_of(rows + "  100 requests in 10.00s, 1.00MB read\nRequests/sec: 10.00\n"),
               Catch::Contains("in.txt:7") && Catch::Contains("Transfer/sec:") &&
                   Catch::Contains("end of the wrk-text output"));
    CHECK_THAT(error_of("Running ten test @ http://x/\n"),
               Catch::Contains("in.txt:1") && Catch::Contains("Running <duration> test @"));
}

TEST_CASE("a file without a wrk summary is refused as a whole") {
    const SourceText source = make_source_text("notes.txt", "nothing here\n");
    CHECK_THROWS_WITH(parse_wrk_text_file(source), Catch::Contains("no wrk summary"));
}

TEST_CASE("keeps a URL benchctl cannot load as text") {
    const std::string text = std::string(k_latency_block);
    std::string https = text;
    https.replace(https.find("http://"), 7, "https://");
    const std::vector<ImportedCell> cells = parse_text(https);
    CHECK(cells.at(0).settings.url.text.rfind("https://0.0.0.0:8000/", 0) == 0);
    CHECK(rendered_lines(cells[0]) == wrk_blocks(split_lines(https)).at(0));
}

namespace {

// k_latency_block with one line replaced.
std::string with_line(const std::string& old_line, const std::string& new_line) {
    std::string text = k_latency_block;
    const std::size_t at = text.find(old_line);
    REQUIRE(at != std::string::npos);
    return text.replace(at, old_line.size(), new_line);
}

}  // namespace

TEST_CASE("a count too large to add up is refused as out of range, never wrapped") {
    const std::string huge = with_line("11984 requests in", "18446744073709551615 requests in");
    CHECK_THAT(error_of(huge),
               Catch::Contains("in.txt:12") && Catch::Contains("a number there is out of range"));
    const std::string errors = with_line("timeout 4", "timeout 18446744073709551615");
    CHECK_THAT(error_of(errors), Catch::Contains("out of range"));
    // The largest count taken: 2^53 - 1, and started (= completed + failed) does not wrap.
    const std::vector<ImportedCell> cells =
        parse_text(with_line("11984 requests in", "9007199254740991 requests in"));
    CHECK(cells.front().result.requests.started == 9007199254740991ULL + 2795);
}

TEST_CASE("an amount too large for its unit, or written with an exponent, is refused") {
    CHECK_THAT(error_of(with_line("5.42MB read", "100000000000000000000.00TB read")),
               Catch::Contains("out of range"));
    CHECK_THAT(error_of(with_line("5.42MB read", "1e20TB read")),
               Catch::Contains("expected '<N> requests in <duration>, <bytes> read'"));
    CHECK_THAT(
        error_of(with_line("4 threads and 8 connections", "4000000 threads and 8 connections")),
        Catch::Contains("each at most 1000000"));
}
