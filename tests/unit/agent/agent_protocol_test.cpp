#include "agent/agent_protocol.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "util/json_field.hpp"

using namespace benchctl;
using nlohmann::json;

namespace {

JsonField field_of(const json& document) {
    return JsonField(document, "test", "");
}

}  // namespace

TEST_CASE("a launch spec crosses the protocol without its log path") {
    LaunchSpec spec;
    spec.argv = {"gunicorn", "-w", "4"};
    spec.cwd = "/srv/app";
    spec.env = {{"PORT", "8000"}, {"MODE", "async"}};
    spec.cpus = {2, 3};
    spec.log_path = "/coordinator/logs/cell.log";
    const json document = launch_spec_to_json(spec);
    CHECK_FALSE(document.contains("log_path"));
    LaunchSpec read = launch_spec_from_json(field_of(document));
    CHECK(read.argv == spec.argv);
    CHECK_FALSE(read.shell.has_value());
    CHECK(read.cwd == spec.cwd);
    CHECK(read.env == spec.env);
    CHECK(read.cpus == spec.cpus);
    CHECK(read.log_path.empty());

    spec.shell = "exec python3 app.py";
    CHECK(launch_spec_from_json(field_of(launch_spec_to_json(spec))).shell == spec.shell);
}

TEST_CASE("readiness, its outcome, exit statuses, stop reports and usage round-trip") {
    ReadinessSpec spec;
    spec.kind = ReadinessKind::http;
    spec.http_path = "/health";
    spec.expected_status = 204;
    spec.timeout = std::chrono::milliseconds(2500);
    ReadinessSpec read = readiness_from_json(field_of(readiness_to_json(spec)));
    CHECK(read.kind == ReadinessKind::http);
    CHECK(read.http_path == "/health");
    CHECK(read.expected_status == 204);
    CHECK(read.timeout == std::chrono::milliseconds(2500));

    ReadyOutcome outcome{false, std::chrono::milliseconds(1500), "exited with code 1"};
    ReadyOutcome outcome_read = ready_outcome_from_json(field_of(ready_outcome_to_json(outcome)));
    CHECK_FALSE(outcome_read.ready);
    CHECK(outcome_read.waited == std::chrono::milliseconds(1500));
    CHECK(outcome_read.reason == "exited with code 1");

    StopReport report{false, 3, ExitStatus{0, 9}};
    StopReport report_read = stop_report_from_json(field_of(stop_report_to_json(report)));
    CHECK_FALSE(report_read.graceful);
    CHECK(report_read.killed == 3);
    REQUIRE(report_read.root_status.has_value());
    CHECK(report_read.root_status->signal == 9);
    CHECK_FALSE(exit_status_from_json(field_of(exit_status_to_json(std::nullopt))).has_value());

    ResourceUsage usage{1.5, 75.0, 1 << 20, 12, 2.0};
    ResourceUsage usage_read = resource_usage_from_json(field_of(resource_usage_to_json(usage)));
    CHECK(usage_read.cpu_seconds == 1.5);
    CHECK(usage_read.peak_rss_bytes == 1u << 20);
    CHECK(usage_read.samples == 12);
}

TEST_CASE("an error keeps its what, where and hint across the protocol") {
    UserError error("cannot start 'x': No such file or directory", "cell a.b", "install x");
    UserError read = error_from_json(field_of(error_to_json(error)));
    CHECK(std::string(read.what()) == error.what());
    CHECK(read.where() == "cell a.b");
    CHECK(read.hint() == "install x");
}

TEST_CASE("the hello names the protocol, the version and the host") {
    AgentHello hello = local_hello();
    CHECK(hello.protocol == k_agent_protocol_version);
    CHECK(hello.host.cores > 0);
    CHECK_FALSE(hello.host.kernel.empty());
    AgentHello read = hello_from_json(field_of(hello_to_json(hello)));
    CHECK(read.protocol == hello.protocol);
    CHECK(read.benchctl_version == hello.benchctl_version);
    CHECK(read.host.cpu_model == hello.host.cpu_model);
    CHECK(read.pid == hello.pid);
    // Any version's hello can be read for the version check, whatever else it lacks.
    CHECK(hello_from_json(field_of(json{{"event", "hello"}, {"protocol", 7}})).protocol == 7);
}

TEST_CASE("the test-only variable changes the announced protocol version, nothing else does") {
    unsetenv(k_test_protocol_variable);
    CHECK(announced_protocol_version() == k_agent_protocol_version);
    setenv(k_test_protocol_variable, "999", 1);
    CHECK(announced_protocol_version() == 999);
    CHECK(local_hello().protocol == 999);
    setenv(k_test_protocol_variable, "9x", 1);
    CHECK(announced_protocol_version() == k_agent_protocol_version);
    unsetenv(k_test_protocol_variable);
}

TEST_CASE("a service kind's config crosses the protocol whole, its settings in order") {
    ServiceConfig config;
    config.kind = ServiceKind::postgres;
    config.settings = {{"max_connections", "200"}, {"fsync", "off"}};
    config.keep_data = true;
    config.databases = {"app", "audit"};
    config.user = "bench";
    config.password = "s3cret";
    config.ready_timeout = std::chrono::milliseconds(2500);
    config.stop_grace = std::chrono::seconds(3);
    ServiceConfig read = service_config_from_json(field_of(service_config_to_json(config)));
    CHECK(read.kind == ServiceKind::postgres);
    CHECK(read.settings == config.settings);
    CHECK(read.keep_data);
    CHECK(read.databases == config.databases);
    CHECK(read.user == "bench");
    CHECK(read.password == std::optional<std::string>("s3cret"));
    CHECK(read.ready_timeout == config.ready_timeout);
    CHECK(read.stop_grace == config.stop_grace);

    ServiceConfig proxy;
    proxy.kind = ServiceKind::nginx;
    proxy.upstream = "10.0.0.2:8000";
    read = service_config_from_json(field_of(service_config_to_json(proxy)));
    CHECK(read.kind == ServiceKind::nginx);
    CHECK(read.upstream == "10.0.0.2:8000");
    CHECK_FALSE(read.password.has_value());

    json unknown = service_config_to_json(proxy);
    unknown["kind"] = "mysql";
    CHECK_THROWS_WITH(service_config_from_json(field_of(unknown)),
                      Catch::Contains("unknown service kind 'mysql'"));
}

TEST_CASE("each second's latency histogram crosses the protocol beside the load document") {
    std::vector<TimelineSecond> timeline(3);
    timeline[0].latency_buckets = {{120, 4}, {980, 1}};
    timeline[2].latency_buckets = {{18446744073709551615ULL, 2}};
    const json sent = timeline_latency_to_json(timeline);
    CHECK(sent == json::parse("[[120, 4, 980, 1], [], [18446744073709551615, 2]]"));
    std::vector<TimelineSecond> read(3);
    read_timeline_latency(field_of(sent), read);
    CHECK(read[0].latency_buckets == timeline[0].latency_buckets);
    CHECK(read[1].latency_buckets.empty());
    CHECK(read[2].latency_buckets == timeline[2].latency_buckets);
    std::vector<TimelineSecond> shorter(2);
    CHECK_THROWS_WITH(read_timeline_latency(field_of(sent), shorter),
                      Catch::Contains("has 3 seconds, but the load's timeline has 2"));
    CHECK_THROWS_WITH(read_timeline_latency(field_of(json::parse("[[1], [], []]")), read),
                      Catch::Contains("(value, count) pairs"));
}
