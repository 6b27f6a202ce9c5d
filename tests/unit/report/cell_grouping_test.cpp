#include "report/model/cell_grouping.hpp"

#include <catch2/catch.hpp>

#include "report/model/run_reader.hpp"
#include "run_fixture.hpp"
#include "util/error.hpp"

using namespace benchctl;
using benchctl::test::build_three_axis_run;
using benchctl::test::RunFixture;
using Catch::Matchers::Contains;

namespace {

// "## A", "### B" ... one string per section, with the ids of its cells.
std::vector<std::string> outline(const std::vector<ReportSection>& sections) {
    std::vector<std::string> lines;
    for (const ReportSection& section : sections) {
        std::string line = std::string(section.level, '#') + " " + section.heading;
        for (const CellReport* cell : section.cells)
            line += " [" + cell->cell_id + "]";
        lines.push_back(line);
    }
    return lines;
}

}  // namespace

TEST_CASE("nests the cells by axis in matrix order, as source document 000 does") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    const auto sections = group_cells(run, grouping_order(run.manifest.axes, {}));
    CHECK(outline(sections) == std::vector<std::string>{
                                   "## WSGI Gunicorn Gevent",
                                   "### Fake redis hit",
                                   "#### Sync [gunicorn-gevent.cache_hit.sync]",
                                   "#### Async [gunicorn-gevent.cache_hit.async]",
                                   "### Fake cache set",
                                   "#### Sync [gunicorn-gevent.cache_set.sync]",
                                   "## ASGI Gunicorn Uvicorn",
                                   "### Fake redis hit",
                                   "#### Sync [uvicorn.cache_hit.sync]",
                                   "#### Async [uvicorn.cache_hit.async]",
                                   "### Fake cache set",
                                   "#### Sync [uvicorn.cache_set.sync]",
                                   "#### Async [uvicorn.cache_set.async]",
                               });
}

TEST_CASE("option --group-by puts the named axes outermost, the rest after in matrix order") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const RunReport run = read_run(fixture.path());
    const auto order = grouping_order(run.manifest.axes, {"mode"});
    CHECK(order == std::vector<std::string>{"mode", "server", "endpoint"});
    const auto lines = outline(group_cells(run, order));
    REQUIRE(lines.size() >= 3);
    CHECK(lines[0] == "## Sync");
    CHECK(lines[1] == "### WSGI Gunicorn Gevent");
    CHECK(lines[2] == "#### Fake redis hit [gunicorn-gevent.cache_hit.sync]");
    CHECK(std::find(lines.begin(), lines.end(), "## Async") != lines.end());
}

TEST_CASE("axes beyond the third are joined into the #### heading") {
    RunFixture fixture;
    const auto v = [](const char* axis, const char* name) {
        return test::axis_value(axis, name, "");
    };
    fixture.manifest.axes = {
        {"a", {v("a", "a1")}}, {"b", {v("b", "b1")}}, {"c", {v("c", "c1")}}, {"d", {v("d", "d1")}}};
    fixture.add_cell(
        test::done_record({v("a", "a1"), v("b", "b1"), v("c", "c1"), v("d", "d1")}, 1, 1),
        std::nullopt);
    fixture.write_manifest();
    const RunReport run = read_run(fixture.path());
    CHECK(outline(group_cells(run, grouping_order(run.manifest.axes, {}))) ==
          std::vector<std::string>{"## a1", "### b1", "#### c1 / d1 [a1.b1.c1.d1]"});
}

TEST_CASE("option --group-by rejects an unknown or repeated axis, listing the known ones") {
    const std::vector<Axis> axes = {{"server", {}}, {"mode", {}}};
    try {
        grouping_order(axes, {"sever"});
        FAIL("no error");
    } catch (const UserError& e) {
        CHECK(e.where() == "--group-by");
        CHECK_THAT(e.message(), Contains("unknown axis 'sever'") && Contains("server, mode"));
    }
    CHECK_THROWS_AS(grouping_order(axes, {"mode", "mode"}), UserError);
}
