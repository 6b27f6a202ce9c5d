#include "report/formats/json_report.hpp"

#include <catch2/catch.hpp>

#include "report/model/run_reader.hpp"
#include "run_fixture.hpp"

using namespace benchctl;
using benchctl::test::build_three_axis_run;
using benchctl::test::RunFixture;
using nlohmann::json;

TEST_CASE("benchctl's JSON report holds the run and one row per cell") {
    RunFixture fixture;
    build_three_axis_run(fixture);
    const json doc = json::parse(render_json_report(read_run(fixture.path()), {}));
    CHECK(doc["schema"] == "benchctl.report/1");
    CHECK(doc["run"]["id"] == "20261123T110300Z-django-workers");
    CHECK(doc["run"]["title"] == "Django Workers");
    CHECK(doc["run"]["host"]["cores"] == 2);
    REQUIRE(doc["rows"].size() == 7);
    const json& best = doc["rows"][0];
    CHECK(best["cell"] == "gunicorn-gevent.cache_hit.sync");
    CHECK(best["labels"]["server"] == "WSGI Gunicorn Gevent");
    CHECK(best["parameters"]["mode"] == "sync");
    CHECK(best["figures"]["requests"]["completed"] == 26900);
    CHECK(best["figures"]["requests_per_sec"].get<double>() == Approx(2690));
    CHECK(best["figures"]["latency_ms"]["mean"].get<double>() ==
          Approx((8.4 * 26000 + 12.0 * 900) / 26900));
    CHECK(best["relative_speed"] == 1.0);
    const json& failed = doc["rows"][6];
    CHECK(failed["status"] == "failed");
    CHECK(failed["figures"].is_null());
    CHECK(failed["relative_speed"].is_null());
    CHECK(failed["failure_reason"] == "not ready within 30s (tcp 127.0.0.1:8000)");
}
