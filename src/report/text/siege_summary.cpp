#include "report/text/siege_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>

namespace benchctl {

namespace {

constexpr double k_bytes_per_mb = 1024.0 * 1024.0;  // siege's MB
constexpr double k_us_per_sec = 1e6;

double per_second(double amount, double seconds) {
    return seconds > 0 ? amount / seconds : 0.0;
}

std::optional<double> seconds(const std::optional<LatencyFigure>& figure) {
    return figure ? std::optional<double>(figure->seconds()) : std::nullopt;
}

std::uint64_t responses_below_400(const LoadResult& result) {
    std::uint64_t count = 0;
    for (const auto& [status, responses] : result.status_codes) {
        if (status < 400)
            count += responses;
    }
    return count;
}

}  // namespace

SiegeSummary compute_siege_summary(const LoadResult& result, const LoadSummary& summary) {
    SiegeSummary s;
    const std::uint64_t socket_failures = result.requests.failed;
    s.transactions = result.requests.completed;
    const std::uint64_t attempts = s.transactions + socket_failures;
    s.availability_percent = summary.source_figure("availability_pct")
                                 .value_or(attempts > 0 ? static_cast<double>(s.transactions) /
                                                              static_cast<double>(attempts) * 100
                                                        : 0.0);
    s.elapsed_sec = result.duration_sec;
    s.data_transferred_mb = static_cast<double>(result.bytes_read) / k_bytes_per_mb;
    const LatencySummary& latency = summary.latency;
    s.response_time_sec = seconds(latency.mean);
    s.transaction_rate = summary.requests_per_sec;
    s.throughput_mb_per_sec = summary.bytes_read_per_sec / k_bytes_per_mb;
    // The sum of response times is mean * count (a histogram keeps exact sums).
    const double total_response_sec =
        latency.mean ? latency.mean->us() * static_cast<double>(latency.count) / k_us_per_sec : 0;
    s.concurrency = summary.source_figure("concurrency")
                        .value_or(per_second(total_response_sec, s.elapsed_sec));
    // Statuses one by one when they were counted so; else what the summary says of them.
    const std::uint64_t below_400 =
        summary.exact_accounting() ? responses_below_400(result)
                                   : s.transactions - std::min(summary.non_2xx_3xx, s.transactions);
    s.successful = summary.source_figure<std::uint64_t>("successful").value_or(below_400);
    s.failed = summary.source_figure<std::uint64_t>("failed").value_or(
        (s.transactions - s.successful) + socket_failures);
    s.longest_sec = seconds(latency.max);
    s.shortest_sec = seconds(latency.min);
    return s;
}

SiegeSummary compute_siege_summary(const LoadDocument& document) {
    return compute_siege_summary(document.result, document.summary);
}

std::string render_siege_summary(const SiegeSummary& s) {
    std::string text;
    auto out = std::back_inserter(text);
    const auto line = [&](const char* label, const std::string& figure, const char* unit) {
        fmt::format_to(out, "{:<24}{:>8}{}{}\n", label, figure, *unit ? " " : "", unit);
    };
    const auto two = [](double value) { return fmt::format("{:.2f}", value); };
    const auto recorded = [&](const std::optional<double>& value) {
        return value ? two(*value) : std::string("n/a");
    };
    line("Transactions:", fmt::format("{}", s.transactions), "hits");
    line("Availability:", two(s.availability_percent), "%");
    line("Elapsed time:", two(s.elapsed_sec), "secs");
    line("Data transferred:", two(s.data_transferred_mb), "MB");
    line("Response time:", recorded(s.response_time_sec), "secs");
    line("Transaction rate:", two(s.transaction_rate), "trans/sec");
    line("Throughput:", two(s.throughput_mb_per_sec), "MB/sec");
    line("Concurrency:", two(s.concurrency), "");
    line("Successful transactions:", fmt::format("{}", s.successful), "");
    line("Failed transactions:", fmt::format("{}", s.failed), "");
    line("Longest transaction:", recorded(s.longest_sec), "");
    line("Shortest transaction:", recorded(s.shortest_sec), "");
    return text;
}

}  // namespace benchctl
