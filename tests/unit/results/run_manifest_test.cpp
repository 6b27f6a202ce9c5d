#include "results/run_manifest.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "util/error.hpp"

using namespace benchctl;
using nlohmann::json;

namespace {

RunManifest sample_manifest() {
    RunManifest m;
    m.run_id = "20261123T110300Z-demo";
    m.status = RunStatus::interrupted;
    m.matrix_path = "scenarios/demo.yaml";
    m.matrix_text = "name: demo\n";
    m.matrix_name = "demo";
    m.axes = {{"server", {{"server", "nginx", "NGINX", {{"workers", "2"}}}}}};
    m.host.hostname = "bench-host";
    m.cells = {{"nginx", 1, EntryStatus::done, "cells/nginx.json", ""},
               {"nginx", 2, EntryStatus::pending, "", ""}};
    return m;
}

// The message of the UserError run_manifest_from_json throws; fails the test when none.
std::string manifest_read_error(const json& doc) {
    try {
        run_manifest_from_json(doc, "runs/x/manifest.json");
    } catch (const UserError& error) {
        return error.message();
    }
    FAIL("run_manifest_from_json accepted the document");
    return "";
}

}  // namespace

TEST_CASE("a manifest reads back with its statuses typed") {
    const RunManifest read =
        run_manifest_from_json(json::parse(to_json(sample_manifest()).dump()), "manifest.json");
    CHECK(read.status == RunStatus::interrupted);
    REQUIRE(read.cells.size() == 2);
    CHECK(read.cells[0].status == EntryStatus::done);
    CHECK(read.cells[1].status == EntryStatus::pending);
    CHECK(read.cells[0].file == "cells/nginx.json");
    REQUIRE(read.axes.size() == 1);
    CHECK(read.axes[0].values[0].label == "NGINX");
    CHECK(read.axes[0].values[0].fields.at("workers") == "2");
    CHECK(read.host.hostname == "bench-host");
    CHECK(read.matrix_text == "name: demo\n");
}

TEST_CASE("a manifest error names the file and the path of the field") {
    json doc = to_json(sample_manifest());
    doc["cells"][1]["status"] = "finished";
    CHECK(manifest_read_error(doc) ==
          "field cells[1].status must be \"pending\", \"done\", \"failed\" or \"interrupted\", "
          "runs/x/manifest.json; the manifest was edited or is not from benchctl run");
    doc = to_json(sample_manifest());
    doc["cells"][0].erase("repetition");
    CHECK(manifest_read_error(doc).rfind(
              "field cells[0].repetition is missing, runs/x/manifest.json", 0) == 0);
    doc = to_json(sample_manifest());
    doc["host"]["cores"] = "two";
    CHECK(manifest_read_error(doc).rfind("field host.cores must be a non-negative integer", 0) ==
          0);
}

TEST_CASE("a manifest keeps its services' kinds, versions and data directories") {
    RunManifest manifest = sample_manifest();
    manifest.services = {
        {"db", "postgres", "postgres (PostgreSQL) 15.14", 41234,
         "services/db/data -> /tmp/benchctl-db-Ab12Cd", false},
        {"cache", "redis", "Redis server v=7.0.15", 41235, "services/cache/data", true},
        {"broker", "command", "", 41236, "", false}};
    const RunManifest read =
        run_manifest_from_json(json::parse(to_json(manifest).dump()), "manifest.json");
    REQUIRE(read.services.size() == 3);
    CHECK(read.services[0].version == "postgres (PostgreSQL) 15.14");
    CHECK(read.services[0].data == "services/db/data -> /tmp/benchctl-db-Ab12Cd");
    CHECK(read.services[1].port == 41235);
    CHECK(read.services[1].keep_data);
    CHECK(read.services[2].kind == "command");
}

TEST_CASE("members an older manifest may lack read as empty") {
    json doc = to_json(sample_manifest());
    doc.erase("host");
    doc.erase("tool_versions");
    doc.erase("services");
    doc["matrix"].erase("axes");
    doc["cells"][0].erase("file");
    const RunManifest read = run_manifest_from_json(doc, "manifest.json");
    CHECK(read.host.hostname.empty());
    CHECK(read.services.empty());
    CHECK(read.axes.empty());
    CHECK(read.cells[0].file.empty());
}

TEST_CASE("a new manifest has no matrix hash and an older one keeps its hash when rewritten") {
    CHECK_FALSE(to_json(sample_manifest())["matrix"].contains("sha256"));
    json older = to_json(sample_manifest());
    older["matrix"]["sha256"] = std::string(64, 'a');
    const RunManifest read = run_manifest_from_json(older, "manifest.json");
    CHECK(read.matrix_sha256 == std::string(64, 'a'));
    CHECK(to_json(read)["matrix"]["sha256"] == std::string(64, 'a'));
}
