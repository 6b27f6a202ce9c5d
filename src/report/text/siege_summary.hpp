#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "load/load_result.hpp"
#include "results/load_document.hpp"

namespace benchctl {

// The figures of siege's closing summary (siege 4, as in source document 002), computed from a
// load result as siege defines them (see docs/reports.md, "siege style"):
//   transactions       every complete response, whatever its status ("hits")
//   availability       transactions / (transactions + socket failures) * 100
//   elapsed            the measured duration
//   data transferred   response bytes, headers included, in MB of 1,048,576 bytes
//   response time      mean latency of the transactions, seconds
//   transaction rate   transactions / elapsed
//   throughput         MB / elapsed
//   concurrency        sum of all response times / elapsed (mean requests outstanding)
//   successful         responses with a status below 400
//   failed             responses with a status of 400 or more, plus socket failures
//   longest, shortest  largest and smallest response time, seconds
// "Socket failures" are benchctl's failed requests (connect, read, write, timeout, parse).
struct SiegeSummary {
    std::uint64_t transactions = 0;
    double availability_percent = 0;  // 0 when nothing was attempted
    double elapsed_sec = 0;
    double data_transferred_mb = 0;
    std::optional<double> response_time_sec;  // absent when the source did not record it
    double transaction_rate = 0;
    double throughput_mb_per_sec = 0;
    double concurrency = 0;
    std::uint64_t successful = 0;
    std::uint64_t failed = 0;
    std::optional<double> longest_sec;  // absent when the summary lacks it (wrk prints no minimum)
    std::optional<double> shortest_sec;
};

// The figures from a run's counts and its summary. Where the summary holds siege's own figures
// (availability_pct, concurrency, successful, failed: a recorded siege summary), they are used
// as recorded, so such a summary renders back to itself; a figure the summary lacks is absent.
SiegeSummary compute_siege_summary(const LoadResult& result, const LoadSummary& summary);

// compute_siege_summary of a stored document's result and summary.
SiegeSummary compute_siege_summary(const LoadDocument& document);

// siege's layout, one figure a line, labels padded to 24 columns and figures right-aligned in 8
// ("Transactions:                840 hits" ... "Shortest transaction:       0.28"); ends with a
// newline. A figure the summary lacks (the shortest transaction of a wrk summary) is printed as
// "n/a", never as a made-up 0.
std::string render_siege_summary(const SiegeSummary& summary);

}  // namespace benchctl
