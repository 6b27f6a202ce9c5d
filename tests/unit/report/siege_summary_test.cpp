#include "report/text/siege_summary.hpp"

#include <catch2/catch.hpp>

using benchctl::compute_siege_summary;
using benchctl::LoadResult;
using benchctl::render_siege_summary;

namespace {

// Source document 002, section 1 (synchronous server): 21 hits, 5 socket failures, 59.76 s,
// response times 2.81 .. 19.63 s averaging 16.82 s.
LoadResult sync_server_result() {
    LoadResult result;
    result.latency.record(2'810'000);
    result.latency.record(19'630'000);
    result.latency.record(17'409'474, 19);
    result.requests = {26, 21, 5, 0};
    result.errors.read = 5;
    result.status_codes = {{200, 21}};
    result.duration_sec = 59.76;
    result.bytes_read = 2100;
    return result;
}

benchctl::SiegeSummary siege_of(const LoadResult& result) {
    return compute_siege_summary(result, benchctl::summarize(result));
}

}  // namespace

TEST_CASE("computes siege's figures as siege defines them") {
    const auto s = siege_of(sync_server_result());
    CHECK(s.transactions == 21);
    CHECK(s.availability_percent == Approx(21.0 / 26 * 100));
    CHECK(s.response_time_sec.value() == Approx(16.82).epsilon(1e-6));
    CHECK(s.transaction_rate == Approx(21 / 59.76));
    CHECK(s.concurrency == Approx(21 * 16.82 / 59.76).epsilon(1e-6));
    CHECK(s.successful == 21);
    CHECK(s.failed == 5);
    CHECK(s.longest_sec.value() == Approx(19.63));
    CHECK(s.shortest_sec.value() == Approx(2.81));
    CHECK(s.data_transferred_mb == Approx(2100.0 / 1048576));
}

TEST_CASE("renders the summary of source document 002 line for line") {
    const std::string expected =
        "Transactions:                 21 hits\n"
        "Availability:              80.77 %\n"
        "Elapsed time:              59.76 secs\n"
        "Data transferred:           0.00 MB\n"
        "Response time:             16.82 secs\n"
        "Transaction rate:           0.35 trans/sec\n"
        "Throughput:                 0.00 MB/sec\n"
        "Concurrency:                5.91\n"
        "Successful transactions:      21\n"
        "Failed transactions:           5\n"
        "Longest transaction:       19.63\n"
        "Shortest transaction:       2.81\n";
    CHECK(render_siege_summary(siege_of(sync_server_result())) == expected);
}

TEST_CASE("responses of 400 and above are failed transactions, not failed sockets") {
    LoadResult result = sync_server_result();
    result.status_codes = {{200, 15}, {302, 2}, {404, 1}, {500, 3}};
    const auto s = siege_of(result);
    CHECK(s.successful == 17);
    CHECK(s.failed == 4 + 5);
    CHECK(s.availability_percent == Approx(21.0 / 26 * 100));  // only sockets count against it
}

TEST_CASE("a run that attempted nothing has zero availability rather than a division by zero") {
    const LoadResult nothing;
    const auto s = siege_of(nothing);
    CHECK(s.availability_percent == 0);
    CHECK(s.transaction_rate == 0);
    CHECK(s.concurrency == 0);
}

TEST_CASE("a figure the source never recorded is printed as n/a, not as zero") {
    benchctl::SiegeSummary summary;
    summary.transactions = 10;
    summary.response_time_sec = 0.5;
    summary.longest_sec = 1.25;
    const std::string text = render_siege_summary(summary);
    CHECK(text.find("Longest transaction:        1.25\n") != std::string::npos);
    CHECK(text.find("Shortest transaction:        n/a\n") != std::string::npos);
}
