#include "report/siege_summary.hpp"

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

std::uint64_t responses_below_400(const LoadResult& result) {
    std::uint64_t count = 0;
    for (const auto& [status, responses] : result.status_codes) {
        if (status < 400)
            count += responses;
    }
    return count;
}

}  // namespace

SiegeSummary compute_siege_summary(const LoadResult& result) {
    SiegeSummary s;
    const std::uint64_t socket_failures = result.requests.failed;
    const LatencyHistogram& latency = result.latency;
    s.transactions = result.requests.completed;
    const std::uint64_t attempts = s.transactions + socket_failures;
    s.availability_percent =
        attempts > 0 ? static_cast<double>(s.transactions) / static_cast<double>(attempts) * 100
                     : 0.0;
    s.elapsed_sec = result.duration_sec;
    s.data_transferred_mb = static_cast<double>(result.bytes_read) / k_bytes_per_mb;
    s.response_time_sec = latency.mean() / k_us_per_sec;
    s.transaction_rate = per_second(static_cast<double>(s.transactions), s.elapsed_sec);
    s.throughput_mb_per_sec = per_second(s.data_transferred_mb, s.elapsed_sec);
    // The exact sum of response times is mean * count (the histogram keeps exact sums).
    const double total_response_sec =
        latency.mean() * static_cast<double>(latency.count()) / k_us_per_sec;
    s.concurrency = per_second(total_response_sec, s.elapsed_sec);
    s.successful = responses_below_400(result);
    s.failed = (s.transactions - s.successful) + socket_failures;
    s.longest_sec = static_cast<double>(latency.max()) / k_us_per_sec;
    s.shortest_sec = static_cast<double>(latency.min()) / k_us_per_sec;
    return s;
}

namespace {

std::optional<double> seconds_from_ms(const std::optional<double>& milliseconds) {
    if (!milliseconds)
        return std::nullopt;
    return *milliseconds / 1000.0;
}

// A figure kept verbatim from an imported siege summary (availability, concurrency, successful
// and failed transactions, which siege counts its own way).
template <typename T = double>
std::optional<T> siege_figure(const RecordedSummary& summary, const char* key) {
    const auto found = summary.figures.find(key);
    if (found == summary.figures.end() || !found->is_number())
        return std::nullopt;
    return found->get<T>();
}

// An imported cell: the figures its source printed, so a siege summary renders back to itself;
// what the source lacked is computed as for a measured run (0 when it cannot be).
SiegeSummary recorded_siege_summary(const LoadResult& result, const RecordedSummary& summary) {
    SiegeSummary s;
    const RecordedLatency& latency = summary.latency_ms;
    s.transactions = result.requests.completed;
    const std::uint64_t attempts = s.transactions + result.requests.failed;
    s.availability_percent = siege_figure(summary, "availability_pct")
                                 .value_or(attempts > 0 ? static_cast<double>(s.transactions) /
                                                              static_cast<double>(attempts) * 100
                                                        : 0.0);
    s.elapsed_sec = result.duration_sec;
    s.data_transferred_mb = static_cast<double>(result.bytes_read) / k_bytes_per_mb;
    s.response_time_sec = seconds_from_ms(latency.mean);
    s.transaction_rate = summary.requests_per_sec;
    s.throughput_mb_per_sec = summary.bytes_read_per_sec / k_bytes_per_mb;
    s.concurrency = siege_figure(summary, "concurrency")
                        .value_or(per_second(
                            s.response_time_sec.value_or(0) * static_cast<double>(s.transactions),
                            s.elapsed_sec));
    s.successful = siege_figure<std::uint64_t>(summary, "successful")
                       .value_or(s.transactions - std::min(summary.non_2xx_3xx, s.transactions));
    s.failed = siege_figure<std::uint64_t>(summary, "failed")
                   .value_or((s.transactions - s.successful) + result.requests.failed);
    s.longest_sec = seconds_from_ms(latency.max);
    s.shortest_sec = seconds_from_ms(latency.min);
    return s;
}

}  // namespace

SiegeSummary compute_siege_summary(const LoadDocument& document) {
    if (document.imported)
        return recorded_siege_summary(document.result, *document.imported);
    return compute_siege_summary(document.result);
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
