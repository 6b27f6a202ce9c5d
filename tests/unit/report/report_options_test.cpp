#include "report/report_options.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "report/templates/template_set.hpp"
#include "run_fixture.hpp"
#include "util/error.hpp"

using namespace benchctl;
using Catch::Matchers::Contains;

TEST_CASE("a mistyped --format gets the nearest format") {
    try {
        parse_report_format("htm");
        FAIL("no error");
    } catch (const UserError& e) {
        CHECK(e.where() == "--format");
        CHECK(e.hint() == "did you mean 'html'? use md, csv, json or html");
    }
    CHECK_THROWS_WITH(parse_report_format("xml"), !Contains("did you mean"));
}

TEST_CASE("parses --format, --style and --group-by, naming the flag on error") {
    CHECK(parse_report_format("md") == ReportFormat::markdown);
    CHECK(parse_report_format("markdown") == ReportFormat::markdown);
    CHECK(parse_report_format("csv") == ReportFormat::csv);
    CHECK(parse_report_format("json") == ReportFormat::json);
    CHECK_THROWS_WITH(parse_report_format("pdf"), Contains("unknown report format 'pdf'"));
    CHECK(parse_report_style("", ReportFormat::csv) == ReportStyle::standard);
    CHECK(parse_report_style("siege", ReportFormat::markdown) == ReportStyle::siege);
    CHECK(parse_report_style("gunicorn-bench", ReportFormat::json) == ReportStyle::gunicorn_bench);
    try {
        parse_report_style("siege", ReportFormat::json);
        FAIL("no error");
    } catch (const UserError& e) {
        CHECK(e.where() == "--style");
    }
    CHECK(parse_group_by("") == std::vector<std::string>{});
    CHECK(parse_group_by("server, mode") == std::vector<std::string>{"server", "mode"});
    CHECK_THROWS_AS(parse_group_by("server,,mode"), UserError);
}

TEST_CASE("option --template DIR overrides a built-in template by file name") {
    test::RunFixture scratch;  // a temporary directory
    std::ofstream(scratch.path() + "/markdown.mustache") << "custom {{title}} {{{raw}}}\n";
    const TemplateSet templates = TemplateSet::with_overrides(scratch.path());
    mstch::map context{{"title", std::string("a<b")}, {"raw", std::string("<i>")}};
    CHECK(render_template(templates, "markdown", context, TemplateEscape::none) ==
          "custom a<b <i>\n");
    CHECK(render_template(templates, "markdown", context, TemplateEscape::html) ==
          "custom a&lt;b <i>\n");
    // The escape mode does not leak into the next render.
    CHECK(mstch::render("{{t}}", mstch::map{{"t", std::string("<")}}) == "&lt;");
}

TEST_CASE("option --template rejects a missing directory and one without templates") {
    CHECK_THROWS_WITH(TemplateSet::with_overrides("/nonexistent/templates"),
                      Contains("is not a directory"));
    test::RunFixture scratch;
    CHECK_THROWS_WITH(TemplateSet::with_overrides(scratch.path() + "/cells"),
                      Contains("holds no .mustache template"));
    CHECK_THROWS_AS(TemplateSet::built_in().get("no-such"), UserError);
    CHECK_FALSE(TemplateSet::built_in().get("markdown").empty());
}

TEST_CASE("the source styles wrk-commands and rounds are Markdown's, and only Markdown's") {
    CHECK(parse_report_style("wrk-commands", ReportFormat::markdown) == ReportStyle::wrk_commands);
    CHECK(parse_report_style("rounds", ReportFormat::markdown) == ReportStyle::rounds);
    CHECK_THROWS_AS(parse_report_style("rounds", ReportFormat::json), UserError);
    try {
        parse_report_style("round", ReportFormat::markdown);
        FAIL("no error");
    } catch (const UserError& e) {
        CHECK(e.where() == "--style");
        CHECK_THAT(e.hint(), Contains("wrk-commands, rounds or siege"));
    }
}
