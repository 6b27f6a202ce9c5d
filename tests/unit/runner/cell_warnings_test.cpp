// The rules that flag a cell's figures as suspect (docs/trust.md), one by one.

#include "runner/cell_warnings.hpp"

#include <catch2/catch.hpp>

using namespace benchctl;

namespace {

LoadResult timeline_of(const std::vector<std::uint64_t>& per_second) {
    LoadResult result;
    for (std::uint64_t completed : per_second) {
        result.timeline.push_back({completed, 0, 0, 0, 0, {}});
        result.requests.completed += completed;
    }
    result.requests.started = result.requests.completed;
    result.duration_sec = static_cast<double>(per_second.size());
    return result;
}

}  // namespace

TEST_CASE("no_requests: a cell that completed nothing says what failed instead") {
    LoadResult result;
    result.duration_sec = 1.0;
    result.requests.started = 7;
    result.requests.failed = 7;
    result.errors.connect = 5;
    result.errors.timeout = 2;
    const auto warning = no_requests_warning(result);
    REQUIRE(warning);
    CHECK(warning->code == "no_requests");
    CHECK(warning->message ==
          "no request completed in 1.0 s (7 started, 7 failed: 5 connect, 2 timeout): the "
          "figures measure nothing; check the target's log and load.url");
    result.requests.completed = 1;
    CHECK_FALSE(no_requests_warning(result));
}

TEST_CASE("ramp: a first second below half the steady rate of the second half") {
    const auto warning = ramp_warning(timeline_of({20, 150, 300, 310, 305, 300}));
    REQUIRE(warning);
    CHECK(warning->code == "ramp");
    CHECK(warning->message.find("the first 2 s completed 85 requests/s against 305 later") == 0);
    CHECK_FALSE(ramp_warning(timeline_of({200, 300, 310, 305, 300})));  // 200 >= 150
}

TEST_CASE("ramp: short runs, slow targets and a cut-short last second are not judged") {
    CHECK_FALSE(ramp_warning(timeline_of({0, 300})));         // two seconds are too few
    CHECK_FALSE(ramp_warning(timeline_of({0, 5, 6, 6, 5})));  // 5 requests/s is noise
    LoadResult cut = timeline_of({300, 300, 300, 20});
    cut.duration_sec = 3.1;  // the last second ran 0.1 s: it is not a drop, and not a ramp
    CHECK_FALSE(ramp_warning(cut));
}

TEST_CASE("client_saturated: a load thread busy more than 90% of at least half a second") {
    LoadResult result;
    result.thread_usage = {{0.95, 1.0}, {0.5, 1.0}, {0.99, 0.1}};
    const auto warning = client_saturated_warning(result);
    REQUIRE(warning);
    CHECK(warning->message.find("load thread 0 (95%) was busy more than 90% of the run") == 0);
    result.thread_usage = {{0.9, 1.0}};
    CHECK_FALSE(client_saturated_warning(result));
}

TEST_CASE("timeouts: more than 1% of the requests started, naming load.timeout") {
    LoadSettings settings;
    settings.timeout = std::chrono::seconds(2);
    LoadResult result;
    result.requests.started = 1000;
    result.errors.timeout = 11;
    const auto warning = timeouts_warning(settings, result);
    REQUIRE(warning);
    CHECK(warning->message ==
          "11 of 1000 requests (1.1%) timed out: no whole response within load.timeout = 2s; "
          "if the server is meant to take longer, raise it (--set load.timeout=10s, or "
          "load.timeout in the matrix)");
    result.errors.timeout = 10;
    CHECK_FALSE(timeouts_warning(settings, result));
}

TEST_CASE("unsolicited_responses: any bytes the server sent unasked make the cell suspect") {
    LoadResult result;
    CHECK_FALSE(unsolicited_responses_warning(result));
    result.unsolicited_responses = 3;
    const auto warning = unsolicited_responses_warning(result);
    REQUIRE(warning);
    CHECK(warning->code == "unsolicited_responses");
    CHECK(warning->severity == WarningSeverity::suspect);
    CHECK(warning->message.find("no request was waiting for 3 times") != std::string::npos);
}

TEST_CASE("shared_cores: overlapping CPU lists, or none on a small machine") {
    const auto overlap = shared_cores_warning({1, 2}, {0, 1}, 8);
    REQUIRE(overlap);
    CHECK(overlap->severity == WarningSeverity::note);
    CHECK(overlap->message.find("load.cpus (0-1) and target.cpus (1-2) share CPU 1") == 0);
    CHECK_FALSE(shared_cores_warning({1}, {0}, 2));
    const auto unpinned = shared_cores_warning({}, {}, 2);
    REQUIRE(unpinned);
    CHECK(unpinned->message.find("share this machine's 2 CPUs") != std::string::npos);
    CHECK_FALSE(shared_cores_warning({}, {}, 8));
    CHECK(shared_cores_warning({}, {0}, 4));  // half pinned is still shared
}

TEST_CASE("shared_cores: nothing on different machines, the host named on an ssh host") {
    CHECK_FALSE(shared_cores_warning({1, 2}, {0, 1}, 0));  // 0 CPUs shared: two machines
    CHECK_FALSE(shared_cores_warning({}, {}, 0));
    const auto remote = shared_cores_warning({}, {}, 2, "b");
    REQUIRE(remote);
    CHECK(remote->message.find("an agent on host 'b') and the target both run on that host's 2 "
                               "CPUs") != std::string::npos);
    CHECK_FALSE(shared_cores_warning({}, {}, 8, "b"));
}

TEST_CASE("assess_cell lists the warnings in a fixed order") {
    LoadSettings settings;
    LoadResult result = timeline_of({0, 0, 0});
    result.requests.started = 100;
    result.errors.timeout = 100;
    result.unsolicited_responses = 1;
    SettleRecord settle;
    settle.settled = false;
    const std::vector<CellWarning> warnings =
        assess_cell({settings, result, settle, {}, {}, 2, ""});
    std::vector<std::string> codes;
    for (const CellWarning& warning : warnings)
        codes.push_back(warning.code);
    CHECK(codes == std::vector<std::string>{"no_requests", "timeouts", "unsolicited_responses",
                                            "not_settled", "shared_cores"});
}
