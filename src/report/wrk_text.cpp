#include "report/wrk_text.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iterator>

#include "util/units.hpp"

namespace benchctl {
namespace {

using Out = std::back_insert_iterator<std::string>;

// What "Running ... test" names. A whole number of seconds prints as wrk prints it ("10s"); wrk
// cannot run for fractions of a second, so those keep two decimals ("2.50s", "500.00ms").
std::string test_description(const LoadSettings& settings) {
    switch (settings.stop_rule) {
        case StopRule::requests:
            return fmt::format("{} requests", settings.total_requests);
        case StopRule::iterations:
            return fmt::format("{} x {} iterations", settings.connections, settings.iterations);
        case StopRule::duration:
            break;
    }
    const auto ns = settings.duration.count();
    if (ns % 1'000'000'000 == 0)
        return format_time_s(static_cast<double>(ns / 1'000'000'000));
    return format_time_us(static_cast<double>(ns) / 1000.0);
}

// wrk's print_stats: one row of the Thread Stats block.
void append_stats_row(Out out, const char* name, double mean, double stddev, double max,
                      double percent_within_stddev, std::string (*format)(double)) {
    fmt::format_to(out, "    {:<10}{}{}{}{:8.2f}%\n", name, pad_units(format(mean), 8),
                   pad_units(format(stddev), 10), pad_units(format(max), 9), percent_within_stddev);
}

void append_thread_stats(Out out, const LoadResult& result) {
    fmt::format_to(out, "  Thread Stats{:>6}{:>11}{:>8}{:>12}\n", "Avg", "Stdev", "Max",
                   "+/- Stdev");
    const LatencyHistogram& latency = result.latency;
    append_stats_row(out, "Latency", latency.mean(), latency.stddev(),
                     static_cast<double>(latency.max()), latency.percent_within_stddev(),
                     format_time_us);
    const SampleSummary& rate = result.thread_requests_per_sec;
    append_stats_row(out, "Req/Sec", rate.mean, rate.stddev, rate.max, rate.percent_within_stddev,
                     format_metric);
}

// wrk's print_stats_latency.
void append_latency_distribution(Out out, const LatencyHistogram& latency) {
    fmt::format_to(out, "  Latency Distribution\n");
    for (const double percentile : {50.0, 75.0, 90.0, 99.0}) {
        const auto value = static_cast<double>(latency.value_at_percentile(percentile));
        fmt::format_to(out, "{:7.0f}%{}\n", percentile, pad_units(format_time_us(value), 10));
    }
}

// Computed here rather than through LoadResult's own helpers so that rendering depends on the
// result's data alone: statuses outside 200..399, and rates over the measured time.
std::uint64_t non_2xx_3xx(const LoadResult& result) {
    std::uint64_t count = 0;
    for (const auto& [status, responses] : result.status_codes) {
        if (status < 200 || status > 399)
            count += responses;
    }
    return count;
}

double per_second(double amount, const LoadResult& result) {
    return result.duration_sec > 0 ? amount / result.duration_sec : 0.0;
}

// wrk's closing lines, from "N requests in" to "Transfer/sec:".
void append_totals(Out out, const LoadResult& result) {
    fmt::format_to(out, "  {} requests in {}, {}B read\n", result.requests.completed,
                   format_time_us(result.duration_sec * 1e6),
                   format_binary(static_cast<double>(result.bytes_read)));
    const ErrorCounts& errors = result.errors;
    if (errors.connect != 0 || errors.read != 0 || errors.write != 0 || errors.timeout != 0) {
        fmt::format_to(out, "  Socket errors: connect {}, read {}, write {}, timeout {}\n",
                       errors.connect, errors.read, errors.write, errors.timeout);
    }
    if (const std::uint64_t unexpected = non_2xx_3xx(result); unexpected != 0) {
        fmt::format_to(out, "  Non-2xx or 3xx responses: {}\n", unexpected);
    }
    fmt::format_to(out, "Requests/sec: {:9.2f}\n",
                   per_second(static_cast<double>(result.requests.completed), result));
    fmt::format_to(out, "Transfer/sec: {:>10}B\n",
                   format_binary(per_second(static_cast<double>(result.bytes_read), result)));
}

void append_status_codes(Out out, const LoadResult& result) {
    if (result.status_codes.empty())
        return;
    fmt::format_to(out, "  Status codes:");
    const char* separator = " ";
    for (const auto& [status, responses] : result.status_codes) {
        fmt::format_to(out, "{}{} x {}", separator, status, responses);
        separator = ", ";
    }
    fmt::format_to(out, "\n");
}

// With a rate: how the schedule was kept, and the service time beside the intended-time latency.
void append_rate(Out out, const LoadResult& result) {
    if (result.rate) {
        fmt::format_to(out, "  Rate: {:.2f}/s target, {} scheduled, {} unsent at stop\n",
                       result.rate->target_per_sec, result.rate->scheduled,
                       result.rate->unsent_at_stop);
    }
    if (result.service_time && result.service_time->count() != 0) {
        const LatencyHistogram& service = *result.service_time;
        const auto at = [&](double percentile) {
            return format_time_us(static_cast<double>(service.value_at_percentile(percentile)));
        };
        fmt::format_to(out, "  Service time: p50 {}, p90 {}, p99 {}, max {}\n", at(50), at(90),
                       at(99), format_time_us(static_cast<double>(service.max())));
    }
}

// What wrk does not say: exact request accounting, statuses one by one, parse errors, the rate
// schedule, warm-up and interruption.
void append_benchctl_lines(Out out, const LoadSettings& settings, const LoadResult& result) {
    const RequestCounts& requests = result.requests;
    fmt::format_to(out, "  Requests: {} started, {} completed, {} failed, {} in flight at stop\n",
                   requests.started, requests.completed, requests.failed,
                   requests.in_flight_at_stop);
    append_status_codes(out, result);
    if (result.errors.parse != 0)
        fmt::format_to(out, "  Parse errors: {}\n", result.errors.parse);
    append_rate(out, result);
    if (settings.warmup.enabled() || result.warmup_requests != 0) {
        fmt::format_to(out, "  Warm-up: {} requests not measured\n", result.warmup_requests);
    }
    if (result.interrupted) {
        fmt::format_to(out, "  Interrupted: results cover the run until the stop signal\n");
    }
}

}  // namespace

std::string render_wrk_text(const LoadSettings& settings, const LoadResult& result) {
    std::string text;
    const Out out(text);
    fmt::format_to(out, "Running {} test @ {}\n", test_description(settings), settings.url.text);
    fmt::format_to(out, "  {} threads and {} connections\n", settings.threads,
                   settings.connections);
    append_thread_stats(out, result);
    if (settings.print_latency_distribution)
        append_latency_distribution(out, result.latency);
    append_totals(out, result);
    append_benchctl_lines(out, settings, result);
    return text;
}

}  // namespace benchctl
