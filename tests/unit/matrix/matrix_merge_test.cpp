#include <catch2/catch.hpp>
#include <chrono>

#include "matrix_test_support.hpp"

using namespace benchctl;
using namespace std::chrono_literals;
using benchctl::testing::problems_of;

namespace {

const char* const k_matrix = R"(name: merge
axes:
  server:
    - name: gunicorn
      target:
        command: [gunicorn, -b, "127.0.0.1:${port}"]
        env: {WORKERS: "4"}
      load: {connections: 100}
    - name: hypercorn
      target:
        shell: "exec hypercorn --bind 127.0.0.1:${port}"
        ready: {log: "Running on"}
  mode: [sync, async]
target:
  command: [default-server]
  cwd: ../targets/django
  env: {DJANGO_SETTINGS_MODULE: project.settings, WORKERS: "1"}
  ready: {http: /health, status: 204, timeout: 60s}
  stop: {signal: INT, grace: 2s}
load:
  path: /myapp/${mode}/
  threads: 20
  connections: 2000
  duration: 10s
)";

const Cell& cell(const Matrix& matrix, const std::string& id) {
    for (const Cell& candidate : matrix.cells) {
        if (candidate.id == id)
            return candidate;
    }
    FAIL("no cell " << id);
    return matrix.cells.front();
}

}  // namespace

TEST_CASE("an axis value's target is merged over the top-level target key by key") {
    Matrix matrix = load_matrix_text(k_matrix, "scenarios/m.yaml");
    const Cell& gunicorn = cell(matrix, "gunicorn.sync");
    CHECK(gunicorn.target.command ==
          std::vector<std::string>{"gunicorn", "-b", "127.0.0.1:${port}"});
    CHECK(gunicorn.target.cwd == "../targets/django");
    CHECK(gunicorn.target.env.at("WORKERS") == "4");
    CHECK(gunicorn.target.env.at("DJANGO_SETTINGS_MODULE") == "project.settings");
    CHECK(gunicorn.target.ready.kind == ReadinessKind::http);
    CHECK(gunicorn.target.ready.expected_status == 204);
    CHECK(gunicorn.target.ready.timeout == 60s);
    CHECK(gunicorn.target.stop_signal == 2);
    CHECK(gunicorn.target.stop_grace == 2s);
    CHECK(matrix.directory == "scenarios");
}

TEST_CASE("a key of an exclusive group replaces the others of its group") {
    Matrix matrix = load_matrix_text(k_matrix, "m.yaml");
    const Cell& hypercorn = cell(matrix, "hypercorn.async");
    CHECK(hypercorn.target.command.empty());
    CHECK(hypercorn.target.shell ==
          std::optional<std::string>("exec hypercorn --bind 127.0.0.1:${port}"));
    CHECK(hypercorn.target.ready.kind == ReadinessKind::log);
    CHECK(hypercorn.target.ready.log_pattern == "Running on");
    CHECK(hypercorn.target.ready.timeout == 60s);
}

TEST_CASE("an axis value's load is merged over the top-level load") {
    Matrix matrix = load_matrix_text(k_matrix, "m.yaml");
    CHECK(cell(matrix, "gunicorn.sync").load.connections == std::optional<std::string>("100"));
    CHECK(cell(matrix, "hypercorn.sync").load.connections == std::optional<std::string>("2000"));
    CHECK(cell(matrix, "hypercorn.async").load.url == "http://127.0.0.1:${port}/myapp/async/");
    CHECK(cell(matrix, "hypercorn.async").load.threads == std::optional<std::string>("20"));
    CHECK(cell(matrix, "hypercorn.async").load.duration == std::optional<std::string>("10s"));
}

TEST_CASE("option --set beats the top level and an axis value's own setting") {
    Matrix matrix = load_matrix_text(k_matrix, "m.yaml",
                                     {.overrides = {{"load.connections", "50"},
                                                    {"load.requests", "1000"},
                                                    {"target.env.WORKERS", "8"},
                                                    {"target.ready.timeout", "5s"},
                                                    {"repeat", "3"},
                                                    {"axes.mode", "[sync]"}},
                                      .only = {}});
    CHECK(matrix.repeat == 3);
    REQUIRE(matrix.cells.size() == 2);
    const Cell& gunicorn = cell(matrix, "gunicorn.sync");
    CHECK(gunicorn.load.connections == std::optional<std::string>("50"));
    CHECK(gunicorn.load.requests == std::optional<std::string>("1000"));
    CHECK_FALSE(gunicorn.load.duration.has_value());
    CHECK(gunicorn.target.env.at("WORKERS") == "8");
    CHECK(cell(matrix, "hypercorn.sync").target.ready.timeout == 5s);
}

TEST_CASE("option --set naming an unknown key is reported at the --set with a suggestion") {
    CHECK(problems_of(k_matrix, {{"load.durtion", "2s"}, {"services.redis.command", "[x]"}}) ==
          "--set load.durtion=2s: error: unknown key 'durtion' in load; did you mean 'duration'?\n"
          "--set services.redis.command=[x]: error: unknown service 'redis'\n");
    CHECK(
        problems_of(k_matrix, {{"load.threads.x", "2"}}) ==
        "--set load.threads.x=2: error: 'load.threads' has no key 'x'; set load.threads itself\n");
}

TEST_CASE("a malformed --set value is reported at the --set") {
    CHECK(problems_of(k_matrix, {{"load.duration", "soon"}}) ==
          "--set load.duration=soon: error: malformed duration 'soon'; use a number with a unit: "
          "10s, 500ms, 2.5m, 1h (a bare number means seconds)\n");
}

TEST_CASE("parse_setting_override splits at the first '='") {
    SettingOverride setting = parse_setting_override("load.headers.X=a=b");
    CHECK(setting.path == "load.headers.X");
    CHECK(setting.value == "a=b");
    CHECK_THROWS_AS(parse_setting_override("load.duration"), UserError);
    CHECK_THROWS_AS(parse_setting_override("=2s"), UserError);
}

TEST_CASE("services may use their own port and the ports of services before them") {
    Matrix matrix = load_matrix_text(R"(name: s
services:
  redis:
    command: [redis-server, --port, "${port}"]
  proxy:
    command: [proxy, "${port}", "${redis.port}"]
    ready: {tcp: true}
axes: {mode: [sync]}
target: {command: [app, "${port}", "${redis.port}", "${proxy.port}"]}
)",
                                     "m.yaml");
    REQUIRE(matrix.services.size() == 2);
    CHECK(matrix.services[1].target.command ==
          std::vector<std::string>{"proxy", "${port}", "${redis.port}"});
    CHECK(matrix.cells[0].target.command ==
          std::vector<std::string>{"app", "${port}", "${redis.port}", "${proxy.port}"});
}
