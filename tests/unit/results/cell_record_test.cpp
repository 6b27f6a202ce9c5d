#include "results/cell_record.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "util/error.hpp"

using namespace benchctl;
using nlohmann::json;

namespace {

CellRecord failed_record() {
    CellRecord record;
    record.cell_id = "nginx.small";
    record.repetition = 2;
    record.parameters = {{"server", "nginx", "NGINX", {}}, {"size", "small", "small", {}}};
    record.status = CellStatus::failed;
    record.failure_reason = "exited with code 1 before it was ready";
    record.log_tail = "bind: address in use\n";
    record.command = {"nginx", "-g", "daemon off;"};
    record.port = 8123;
    record.resources = ResourceUsage{1.5, 75, 4096, 20, 2};
    return record;
}

}  // namespace

TEST_CASE("a cell record reads back with its status and resources") {
    const CellRecord read =
        cell_record_from_json(json::parse(to_json(failed_record()).dump()), "cells/x.json");
    CHECK(read.cell_id == "nginx.small");
    CHECK(read.repetition == 2);
    CHECK(read.status == CellStatus::failed);
    CHECK(read.failure_reason == "exited with code 1 before it was ready");
    CHECK(read.log_tail == "bind: address in use\n");
    REQUIRE(read.parameters.size() == 2);
    CHECK(read.parameters[1].axis == "size");
    CHECK(read.port == 8123);
    REQUIRE(read.resources.has_value());
    CHECK(read.resources->peak_rss_bytes == 4096);
    CHECK_FALSE(read.load.has_value());
}

TEST_CASE("a cell record error names the file and the path of the field") {
    json doc = to_json(failed_record());
    doc["status"] = "exploded";
    try {
        cell_record_from_json(doc, "cells/x.json");
        FAIL("an unknown status was accepted");
    } catch (const UserError& error) {
        CHECK(std::string(error.what()) ==
              "field status must be \"done\", \"failed\" or \"interrupted\"");
        CHECK(error.where() == "cells/x.json");
    }
    doc = to_json(failed_record());
    doc["target"]["port"] = 70000;
    CHECK_THROWS_WITH(cell_record_from_json(doc, "cells/x.json"),
                      "field target.port must be a smaller integer");
    doc = to_json(failed_record());
    doc["parameters"][0].erase("label");
    CHECK_THROWS_WITH(cell_record_from_json(doc, "cells/x.json"),
                      "field parameters[0].label is missing");
}

TEST_CASE("a cell record keeps each service's resources apart, and an older one has none") {
    CellRecord record = failed_record();
    record.services = {{"db", "postgres", {0.8, 40, 70 << 20, 20, 2}},
                       {"cache", "redis", {0.01, 0.5, 12 << 20, 20, 2}}};
    json doc = json::parse(to_json(record).dump());
    const CellRecord read = cell_record_from_json(doc, "cells/x.json");
    REQUIRE(read.services.size() == 2);
    CHECK(read.services[0].name == "db");
    CHECK(read.services[0].kind == "postgres");
    CHECK(read.services[0].resources.cpu_seconds == 0.8);
    CHECK(read.services[1].resources.peak_rss_bytes == 12 << 20);
    doc.erase("services");
    CHECK(cell_record_from_json(doc, "cells/x.json").services.empty());
}
