#include "agent/distributed_load.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <nlohmann/json.hpp>

#include "agent/agent_client.hpp"
#include "agent_test_support.hpp"
#include "load/url.hpp"
#include "results/load_document.hpp"
#include "util/clock.hpp"
#include "util/json_field.hpp"

using namespace benchctl;
using namespace benchctl::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A fake agent that runs no load: it answers a load with `per_connection` completed requests per
// connection of its part, each taking `latency_us`, or holds its answer until the load is
// cancelled (`wait_for_cancel`). Records what it was sent.
struct ScriptedLoad {
    std::uint64_t per_connection = 10;
    std::uint64_t latency_us = 1000;
    bool wait_for_cancel = false;
    std::optional<std::string> refuse_prepare;  // the error's what
    bool die_at_start = false;
    json live = {{"completed", 0}, {"failed", 0}, {"measuring", false}};  // load_progress

    std::mutex mutex;
    LoadSettings settings;
    std::uint64_t start_at_ns = 0;
    std::uint64_t start_sent_ns = 0;
    std::optional<json> held_start;

    json result_for(const json& start, bool interrupted) {
        std::lock_guard lock(mutex);
        LoadResult result;
        result.requests.started = result.requests.completed = settings.connections * per_connection;
        result.status_codes[200] = result.requests.completed;
        result.latency.record(latency_us, result.requests.completed);
        result.duration_sec = 1.0;
        result.interrupted = interrupted;
        std::uint64_t now = monotonic_ns();
        return FakeAgent::ok(start, {{"document", to_load_document(settings, result)},
                                     {"started_ns", now},
                                     {"finished_ns", now + 1'000'000'000},
                                     {"late_ns", 0}});
    }

    std::optional<json> handle(const json& request, FakeAgent& self) {
        const std::string op = request["op"];
        if (op == "clock")
            return FakeAgent::ok(request, {{"now_ns", monotonic_ns()}});
        if (op == "load_prepare") {
            if (refuse_prepare) {
                return json{{"id", request["id"]},
                            {"ok", false},
                            {"error", {{"what", *refuse_prepare}, {"where", ""}, {"hint", ""}}}};
            }
            std::lock_guard lock(mutex);
            settings = from_load_document(JsonField(request["document"], "test", "")).settings;
            return FakeAgent::ok(request);
        }
        if (op == "load_start") {
            {
                std::lock_guard lock(mutex);
                start_at_ns = request["start_at_ns"];
                start_sent_ns = monotonic_ns();
            }
            if (die_at_start) {
                self.close_connection();
                return std::nullopt;
            }
            if (wait_for_cancel) {
                std::lock_guard lock(mutex);
                held_start = request;
                return std::nullopt;
            }
            return result_for(request, false);
        }
        if (op == "load_progress") {
            std::lock_guard lock(mutex);
            return FakeAgent::ok(request, live);
        }
        if (op == "load_cancel") {
            std::optional<json> held;
            {
                std::lock_guard lock(mutex);
                held.swap(held_start);
            }
            if (held)
                self.send(result_for(*held, true));
            return FakeAgent::ok(request);
        }
        return std::nullopt;
    }
};

struct Fleet {
    ScriptedLoad a_script;
    ScriptedLoad b_script;
    std::unique_ptr<FakeAgent> a;
    std::unique_ptr<FakeAgent> b;
    std::unique_ptr<AgentClient> a_client;
    std::unique_ptr<AgentClient> b_client;

    void connect() {
        a = std::make_unique<FakeAgent>(
            std::vector<std::string>{FakeAgent::hello()},
            [this](const json& r, FakeAgent& s) { return a_script.handle(r, s); });
        b = std::make_unique<FakeAgent>(
            std::vector<std::string>{FakeAgent::hello()},
            [this](const json& r, FakeAgent& s) { return b_script.handle(r, s); });
        a_client = std::make_unique<AgentClient>("a", a->channel(), 2000ms, "");
        b_client = std::make_unique<AgentClient>("b", b->channel(), 2000ms, "");
    }
    std::vector<LoadAgent> agents(double a_weight = 1, double b_weight = 1) {
        return {{a_client.get(), a_weight}, {b_client.get(), b_weight}};
    }
    ~Fleet() {
        a_client.reset();
        b_client.reset();
    }
};

LoadSettings load(unsigned connections) {
    LoadSettings settings;
    settings.url = parse_url("http://10.0.0.9:8080/", "test");
    settings.connections = connections;
    settings.threads = 2;
    settings.duration = 1s;
    return settings;
}

}  // namespace

TEST_CASE("a load split over two agents starts both at one instant and merges their results") {
    Fleet fleet;
    fleet.a_script.latency_us = 1000;
    fleet.b_script.latency_us = 50000;
    fleet.connect();
    StopSignal stop;
    DistributedLoadResult result = run_distributed_load(fleet.agents(3, 1), load(8), stop);
    CHECK(fleet.a_script.settings.connections == 6);
    CHECK(fleet.b_script.settings.connections == 2);
    // One instant, on a clock both share here, after the requests were sent.
    CHECK(std::llabs(static_cast<long long>(fleet.a_script.start_at_ns -
                                            fleet.b_script.start_at_ns)) < 2'000'000);
    CHECK(fleet.a_script.start_at_ns > fleet.a_script.start_sent_ns);
    CHECK(result.merged.requests.completed == 80);
    CHECK(result.merged.status_codes.at(200) == 80);
    CHECK(result.merged.latency.count() == 80);
    CHECK(result.merged.latency.value_at_percentile(50) == Approx(1000).epsilon(0.001));
    CHECK(result.merged.latency.value_at_percentile(90) == Approx(50000).epsilon(0.001));
    REQUIRE(result.agents.size() == 2);
    CHECK(result.agents[0].agent == "a");
    CHECK(result.agents[0].result.requests.completed == 60);
    CHECK(result.agents[1].settings.connections == 2);
    CHECK(result.settings.connections == 8);
    CHECK(result.overhead.margin_ms >= 50);
}

TEST_CASE(
    "an agent that fails mid-load fails the whole load with its reason, the others cancelled") {
    Fleet fleet;
    fleet.a_script.wait_for_cancel = true;
    fleet.b_script.die_at_start = true;
    fleet.connect();
    StopSignal stop;
    try {
        run_distributed_load(fleet.agents(), load(4), stop);
        FAIL("a load with a dead agent succeeded");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::lost);
        CHECK(error.where() == "host 'b'");
        CHECK(std::string(error.what())
                  .find("the load failed: the connection to the agent on host 'b' dropped") == 0);
    }
    CHECK(eventually([&] {
        auto ops = fleet.a->ops();
        return std::find(ops.begin(), ops.end(), "load_cancel") != ops.end();
    }));
}

TEST_CASE("an agent that cannot prepare its part fails the load before anyone starts") {
    Fleet fleet;
    fleet.b_script.refuse_prepare = "cannot resolve host '10.0.0.9'";
    fleet.connect();
    StopSignal stop;
    try {
        run_distributed_load(fleet.agents(), load(4), stop);
        FAIL("a load started without every agent ready");
    } catch (const AgentError& error) {
        CHECK(error.kind() == AgentError::Kind::refused);
        CHECK(error.where() == "host 'b'");
        CHECK(std::string(error.what()) ==
              "the load failed: cannot resolve host '10.0.0.9' (load_prepare)");
    }
    CHECK(eventually([&] {
        auto ops = fleet.a->ops();
        return std::find(ops.begin(), ops.end(), "load_cancel") != ops.end();
    }));
    auto ops = fleet.a->ops();
    CHECK(std::find(ops.begin(), ops.end(), "load_start") == ops.end());
}

TEST_CASE("a stop request cancels every agent's load and merges what they did as interrupted") {
    Fleet fleet;
    fleet.a_script.wait_for_cancel = true;
    fleet.b_script.wait_for_cancel = true;
    fleet.connect();
    StopSignal stop;
    std::thread interrupt([&] {
        std::this_thread::sleep_for(300ms);
        stop.request_stop();
    });
    DistributedLoadResult result = run_distributed_load(fleet.agents(), load(4), stop);
    interrupt.join();
    CHECK(result.merged.interrupted);
    CHECK(result.merged.requests.completed == 40);
}

TEST_CASE("while the agents run, the progress holds the sum of their live figures") {
    Fleet fleet;
    fleet.a_script.wait_for_cancel = true;
    fleet.b_script.wait_for_cancel = true;
    fleet.a_script.live = {{"completed", 700}, {"failed", 3}, {"measuring", true}};
    fleet.b_script.live = {{"completed", 500}, {"failed", 0}, {"measuring", false}};
    fleet.connect();
    StopSignal stop;
    LoadProgress progress;
    DistributedLoadOptions options;
    options.progress_interval = 20ms;
    auto running = std::async(std::launch::async, [&] {
        return run_distributed_load(fleet.agents(), load(4), stop, &progress, options);
    });
    CHECK(eventually([&] { return progress.completed.load() == 1200; }));
    CHECK(progress.failed.load() == 3);
    CHECK(progress.measuring.load());
    {
        std::lock_guard lock(fleet.b_script.mutex);
        fleet.b_script.live["completed"] = 650;
    }
    CHECK(eventually([&] { return progress.completed.load() == 1350; }));  // asked again
    stop.request_stop();
    CHECK(running.get().merged.interrupted);
}
