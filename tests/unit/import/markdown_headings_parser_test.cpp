#include "import/markdown_headings_parser.hpp"

#include <catch2/catch.hpp>

#include "import_test_support.hpp"
#include "util/error.hpp"

using namespace benchctl;
using namespace benchctl::test;

namespace {

using Labels = std::vector<std::string>;

const char* const k_block = R"(```
Running 10s test @ http://127.0.0.1:8000/
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.00ms    0.50ms   9.00ms   80.00%
    Req/Sec     5.00k     1.00k    7.00k    70.00%
  100000 requests in 10.00s, 12.00MB read
Requests/sec:  10000.00
Transfer/sec:      1.20MB
```
)";

}  // namespace

TEST_CASE("source 000's headings become three axes under its title") {
    const ImportedDocument document = parse_markdown_headings_file(reference_source(k_source_000));
    CHECK(document.title == "Django Workers");
    CHECK(document.axis_names == Labels{"h2", "h3", "h4"});
    REQUIRE(document.cells.size() == 14);
    CHECK(document.cells[0].labels == Labels{"WSGI Gunicorn Gevent", "Fake redis hit", "Sync"});
    CHECK(document.cells[3].labels == Labels{"ASGI Gunicorn Uvicorn", "Fake redis hit", "Async"});
    CHECK(document.cells[13].labels == Labels{"ASGI Hypercorn Uvloop", "Fake cache set", "Async"});
}

TEST_CASE("source 004's headings are kept exactly as written") {
    const ImportedDocument document = parse_markdown_headings_file(reference_source(k_source_004));
    CHECK(document.title.empty());
    CHECK(document.axis_names == Labels{"h2"});
    REQUIRE(document.cells.size() == 5);
    CHECK(document.cells[1].labels ==
          Labels{"wrk -d 30s -t 4 -c 8 -s Benchmarks/do_job.lua --latency "
                 "'http://0.0.0.0:8000/worker/65542/do_job?authorize_key="
                 "d0f4ac8c14eae3a992aa574a55099e4f'"});
}

TEST_CASE("several '#' headings make the first axis; levels without a block make none") {
    const std::string text =
        std::string("# One\n### unused\n## A\n") + k_block + "# Two\n" + k_block;
    const ImportedDocument document = parse_markdown_headings_file(make_source_text("d.md", text));
    CHECK(document.title.empty());
    CHECK(document.axis_names == Labels{"h1", "h2"});
    REQUIRE(document.cells.size() == 2);
    CHECK(document.cells[0].labels == Labels{"One", "A"});
    CHECK(document.cells[1].labels == Labels{"Two", "(none)"});
}

TEST_CASE("a heading inside fenced code is not a heading") {
    const std::string text = std::string("# T\n## Real\n```bash\n# not a heading\n```\n") + k_block;
    const ImportedDocument document = parse_markdown_headings_file(make_source_text("d.md", text));
    REQUIRE(document.cells.size() == 1);
    CHECK(document.cells[0].labels == Labels{"Real"});
}

TEST_CASE("reads ATX headings and code fences as CommonMark writes them") {
    int level = 0;
    std::string text;
    CHECK(parse_markdown_heading("## WSGI Gunicorn Gevent", level, text));
    CHECK(level == 2);
    CHECK(text == "WSGI Gunicorn Gevent");
    CHECK(parse_markdown_heading("   ### Closed ###", level, text));
    CHECK(text == "Closed");
    CHECK(parse_markdown_heading("#### C# #", level, text));
    CHECK(text == "C#");
    CHECK_FALSE(parse_markdown_heading("#hashtag", level, text));
    CHECK_FALSE(parse_markdown_heading("####### seven", level, text));
    CHECK_FALSE(parse_markdown_heading("    # indented code", level, text));
    CHECK(markdown_fence("```bash") == "```");
    CHECK(markdown_fence("~~~~") == "~~~~");
    CHECK(markdown_fence("``").empty());
}

TEST_CASE("a Markdown document without a summary is refused, and a broken block names its line") {
    const SourceText empty = make_source_text("d.md", "# T\n## A\ntext\n");
    CHECK_THAT(error_message([&] { parse_markdown_headings_file(empty); }),
               Catch::Contains("d.md:1") && Catch::Contains("no wrk or siege summary"));
    const std::string broken = "# T\n## A\n```\nRunning 10s test @ http://x/\n```\n";
    const SourceText source = make_source_text("d.md", broken);
    CHECK_THAT(error_message([&] { parse_markdown_headings_file(source); }),
               Catch::Contains("d.md:5") && Catch::Contains("threads and"));
}
