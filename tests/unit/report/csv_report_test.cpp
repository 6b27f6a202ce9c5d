#include "report/formats/csv_report.hpp"

#include <catch2/catch.hpp>

#include "report/model/run_reader.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::build_three_axis_run;
using benchctl::test::RunFixture;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t end = text.find("\r\n", begin);
        REQUIRE(end != std::string::npos);  // every record ends with CRLF
        lines.push_back(text.substr(begin, end - begin));
        begin = end + 2;
    }
    return lines;
}

}  // namespace

TEST_CASE("quotes CSV fields as RFC 4180 says") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("") == "");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("cr\r") == "\"cr\r\"");
}

TEST_CASE("the CSV report has a header and one row per cell with raw figures") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const auto lines = lines_of(render_csv_report(read_run(fixture.path()), {}));
    REQUIRE(lines.size() == 1 + 7);
    CHECK(lines[0].rfind("run_id,cell,repetition,status,request,server,endpoint,mode,threads,"
                         "connections,"
                         "stop_rule,duration_sec,requests_started,requests_completed,",
                         0) == 0);
    CHECK(lines[0].size() > 0);
    CHECK(lines[1].rfind("20261123T110300Z-django-workers,gunicorn-gevent.cache_hit.sync,1,done,,"
                         "gunicorn-gevent,cache_hit,sync,4,100,duration,10,26900,26900,0,0,0,",
                         0) == 0);
}

TEST_CASE("a cell without measurements has empty figure fields and its quoted reason") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const auto lines = lines_of(render_csv_report(read_run(fixture.path()), {}));
    const std::string& failed = lines.back();
    CHECK(failed ==
          "20261123T110300Z-django-workers,uvicorn.cache_set.async,1,failed,,uvicorn,"
          "cache_set,async" +
              std::string(40, ',') + ",not ready within 30s (tcp 127.0.0.1:8000),,");
}

TEST_CASE("a reason with a comma, quotes and a line break stays one field") {
    RunFixture fixture;
    const AxisValue a = test::axis_value("server", "a", "A");
    fixture.manifest.axes = {{"server", {a}}};
    CellRecord record = test::done_record({a}, 1, 1);
    record.status = CellStatus::failed;
    record.failure_reason = "exited, code \"1\"\nsee log";
    fixture.add_cell(record, std::nullopt);
    fixture.write_manifest();
    const std::string csv = render_csv_report(read_run(fixture.path()), {});
    CHECK(csv.find(",\"exited, code \"\"1\"\"\nsee log\",,\r\n") != std::string::npos);
}
