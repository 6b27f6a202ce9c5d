#include "report/text/wrk_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <iterator>
#include <map>
#include <optional>

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

using Figure = std::optional<double>;

// The figures of wrk's summary, from a LoadSummary. A figure the summary lacks shows as "-".
struct WrkFigures {
    Figure latency_mean_us, latency_stddev_us, latency_max_us, latency_within_pct;
    Figure rate_mean, rate_stddev, rate_max, rate_within_pct;
    std::array<Figure, 4> percentiles_us;  // 50, 75, 90, 99
    double requests_per_sec = 0;
    double bytes_read_per_sec = 0;
    std::uint64_t non_2xx_3xx = 0;
};

constexpr std::array<double, 4> k_distribution_percentiles = {50.0, 75.0, 90.0, 99.0};

std::string format_figure(const Figure& value, std::string (*format)(double)) {
    return value ? format(*value) : "-";
}

// wrk's print_stats: one row of the Thread Stats block.
void append_stats_row(Out out, const char* name, const Figure& mean, const Figure& stddev,
                      const Figure& max, const Figure& percent_within_stddev,
                      std::string (*format)(double)) {
    const std::string within =
        percent_within_stddev ? fmt::format("{:8.2f}%", *percent_within_stddev) : "       -";
    fmt::format_to(out, "    {:<10}{}{}{}{}\n", name, pad_units(format_figure(mean, format), 8),
                   pad_units(format_figure(stddev, format), 10),
                   pad_units(format_figure(max, format), 9), within);
}

void append_thread_stats(Out out, const WrkFigures& figures) {
    fmt::format_to(out, "  Thread Stats{:>6}{:>11}{:>8}{:>12}\n", "Avg", "Stdev", "Max",
                   "+/- Stdev");
    append_stats_row(out, "Latency", figures.latency_mean_us, figures.latency_stddev_us,
                     figures.latency_max_us, figures.latency_within_pct, format_time_us);
    append_stats_row(out, "Req/Sec", figures.rate_mean, figures.rate_stddev, figures.rate_max,
                     figures.rate_within_pct, format_metric);
}

// wrk's print_stats_latency.
void append_latency_distribution(Out out, const WrkFigures& figures) {
    fmt::format_to(out, "  Latency Distribution\n");
    for (std::size_t i = 0; i < k_distribution_percentiles.size(); ++i) {
        fmt::format_to(out, "{:7.0f}%{}\n", k_distribution_percentiles[i],
                       pad_units(format_figure(figures.percentiles_us[i], format_time_us), 10));
    }
}

std::optional<double> us(const std::optional<LatencyFigure>& figure) {
    return figure ? std::optional<double>(figure->us()) : std::nullopt;
}

WrkFigures figures_of(const LoadSummary& summary) {
    WrkFigures figures;
    const LatencySummary& latency = summary.latency;
    figures.latency_mean_us = us(latency.mean);
    figures.latency_stddev_us = us(latency.stddev);
    figures.latency_max_us = us(latency.max);
    figures.latency_within_pct = latency.within_stddev_pct;
    if (const auto& rate = summary.thread_requests_per_sec) {
        figures.rate_mean = rate->mean;
        figures.rate_stddev = rate->stddev;
        figures.rate_max = rate->max;
        figures.rate_within_pct = rate->percent_within_stddev;
    }
    figures.percentiles_us = {us(latency.p50), us(latency.p75), us(latency.p90), us(latency.p99)};
    figures.requests_per_sec = summary.requests_per_sec;
    figures.bytes_read_per_sec = summary.bytes_read_per_sec;
    figures.non_2xx_3xx = summary.non_2xx_3xx;
    return figures;
}

// wrk's closing lines, from "N requests in" to "Transfer/sec:".
void append_totals(Out out, const LoadResult& result, const WrkFigures& figures) {
    fmt::format_to(out, "  {} requests in {}, {}B read\n", result.requests.completed,
                   format_time_us(result.duration_sec * 1e6),
                   format_binary(static_cast<double>(result.bytes_read)));
    const ErrorCounts& errors = result.errors;
    if (errors.connect != 0 || errors.read != 0 || errors.write != 0 || errors.timeout != 0) {
        fmt::format_to(out, "  Socket errors: connect {}, read {}, write {}, timeout {}\n",
                       errors.connect, errors.read, errors.write, errors.timeout);
    }
    if (figures.non_2xx_3xx != 0)
        fmt::format_to(out, "  Non-2xx or 3xx responses: {}\n", figures.non_2xx_3xx);
    fmt::format_to(out, "Requests/sec: {:9.2f}\n", figures.requests_per_sec);
    fmt::format_to(out, "Transfer/sec: {:>10}B\n", format_binary(figures.bytes_read_per_sec));
}

// wrk's own lines, from "Running" to "Transfer/sec:".
void append_wrk_lines(Out out, const LoadSettings& settings, const LoadResult& result,
                      const WrkFigures& figures) {
    fmt::format_to(out, "Running {} test @ {}\n", test_description(settings), settings.url.text);
    fmt::format_to(out, "  {} threads and {} connections\n", settings.threads,
                   settings.connections);
    append_thread_stats(out, figures);
    if (settings.print_latency_distribution)
        append_latency_distribution(out, figures);
    append_totals(out, result, figures);
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

std::string status_list(const std::map<int, std::uint64_t>& codes) {
    std::string text;
    for (const auto& [status, responses] : codes)
        text += fmt::format("{}{} x {}", text.empty() ? "" : ", ", status, responses);
    return text.empty() ? "-" : text;
}

// "check 3, timeout 1": the failures of one request by class, or "" without any.
std::string failure_classes(const ErrorCounts& errors) {
    std::string text;
    for (auto [name, count] :
         {std::pair{"connect", errors.connect}, std::pair{"read", errors.read},
          std::pair{"write", errors.write}, std::pair{"timeout", errors.timeout},
          std::pair{"parse", errors.parse}, std::pair{"check", errors.check}}) {
        if (count != 0)
            text += fmt::format("{}{} {}", text.empty() ? "" : ", ", name, count);
    }
    return text;
}

// A mix's entries or a sequence's steps, one row each, then the failures of those that failed.
void append_by_request(Out out, const LoadResult& result) {
    if (result.by_name.empty())
        return;
    std::size_t width = 4;
    for (const NamedRequestResult& named : result.by_name)
        width = std::max(width, named.name.size());
    fmt::format_to(out, "  By request:\n    {:<{}} {:>9} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9}  {}\n",
                   "Name", width, "Started", "Completed", "Failed", "p50", "p75", "p90", "p99",
                   "Statuses");
    for (const NamedRequestResult& named : result.by_name) {
        const auto at = [&](double percentile) {
            return named.latency.count() == 0 ? std::string("-")
                                              : format_time_us(static_cast<double>(
                                                    named.latency.value_at_percentile(percentile)));
        };
        fmt::format_to(out, "    {:<{}} {:>9} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9}  {}\n",
                       named.name, width, named.requests.started, named.requests.completed,
                       named.requests.failed, at(50), at(75), at(90), at(99),
                       status_list(named.status_codes));
    }
    for (const NamedRequestResult& named : result.by_name) {
        if (named.requests.failed != 0) {
            fmt::format_to(out, "    {} failed: {}\n", named.name, failure_classes(named.errors));
        }
    }
}

// Connects (without keep-alive every request opens one) and data sets that ran out.
void append_model_lines(Out out, const LoadSettings& settings, const LoadResult& result) {
    if (result.errors.check != 0) {
        fmt::format_to(out,
                       "  Check failures: {} (a wrong status or a capture that found nothing)\n",
                       result.errors.check);
    }
    if (!settings.keepalive && result.connect_time.count() != 0) {
        const LatencyHistogram& connect = result.connect_time;
        fmt::format_to(out, "  Connections: {} opened, connect p50 {}, p99 {}, max {}\n",
                       result.connections_opened,
                       format_time_us(static_cast<double>(connect.value_at_percentile(50))),
                       format_time_us(static_cast<double>(connect.value_at_percentile(99))),
                       format_time_us(static_cast<double>(connect.max())));
    }
    for (const DataSetOutcome& set : result.data_sets) {
        if (set.exhausted) {
            fmt::format_to(out,
                           "  Data set '{}' used up: each of its {} rows was sent once (pick: "
                           "unique), and the run stopped\n",
                           set.name, set.rows);
        }
    }
}

// What wrk does not say: exact request accounting, statuses one by one, parse errors, the rate
// schedule, warm-up and interruption, and per named request.
void append_benchctl_lines(Out out, const LoadSettings& settings, const LoadResult& result) {
    const RequestCounts& requests = result.requests;
    fmt::format_to(out, "  Requests: {} started, {} completed, {} failed, {} in flight at stop\n",
                   requests.started, requests.completed, requests.failed,
                   requests.in_flight_at_stop);
    append_status_codes(out, result);
    if (result.errors.parse != 0)
        fmt::format_to(out, "  Parse errors: {}\n", result.errors.parse);
    append_model_lines(out, settings, result);
    append_rate(out, result);
    if (settings.warmup.enabled() || result.warmup_requests != 0) {
        fmt::format_to(out, "  Warm-up: {} requests not measured\n", result.warmup_requests);
    }
    if (result.interrupted) {
        fmt::format_to(out, "  Interrupted: results cover the run until the stop signal\n");
    }
    append_by_request(out, result);
}

}  // namespace

std::string render_wrk_text(const LoadSettings& settings, const LoadResult& result,
                            const LoadSummary& summary) {
    std::string text;
    const Out out(text);
    append_wrk_lines(out, settings, result, figures_of(summary));
    // Without benchctl's exact accounting (a summary another tool printed, which counted only
    // what wrk prints), the lines that would report it are left out.
    if (summary.exact_accounting())
        append_benchctl_lines(out, settings, result);
    return text;
}

std::string render_wrk_text(const LoadSettings& settings, const LoadResult& result) {
    return render_wrk_text(settings, result, summarize(result));
}

std::string render_wrk_text(const LoadDocument& document) {
    return render_wrk_text(document.settings, document.result, document.summary);
}

}  // namespace benchctl
