#include "agent/load_merge.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "util/clock.hpp"

namespace benchctl {

namespace {

void add_counts(const LoadResult& part, LoadResult& merged) {
    merged.requests.started += part.requests.started;
    merged.requests.completed += part.requests.completed;
    merged.requests.failed += part.requests.failed;
    merged.requests.in_flight_at_stop += part.requests.in_flight_at_stop;
    merged.errors.add(part.errors);
    for (const auto& [status, count] : part.status_codes)
        merged.status_codes[status] += count;
    merged.bytes_read += part.bytes_read;
    merged.bytes_written += part.bytes_written;
    merged.warmup_requests += part.warmup_requests;
    merged.interrupted = merged.interrupted || part.interrupted;
    merged.duration_sec = std::max(merged.duration_sec, part.duration_sec);
    if (merged.started_at.empty() ||
        (!part.started_at.empty() && part.started_at < merged.started_at))
        merged.started_at = part.started_at;
}

void add_rate(const LoadResult& part, LoadResult& merged) {
    if (part.rate) {
        if (!merged.rate)
            merged.rate = RateAccounting{};
        merged.rate->target_per_sec += part.rate->target_per_sec;
        merged.rate->scheduled += part.rate->scheduled;
        merged.rate->unsent_at_stop += part.rate->unsent_at_stop;
    }
    if (part.service_time) {
        if (!merged.service_time)
            merged.service_time.emplace(part.service_time->highest_trackable(),
                                        part.service_time->significant_digits());
        merged.service_time->merge(*part.service_time);
    }
}

// Pooled mean and population variance of groups of n_i samples with means m_i and variances
// v_i: mean = sum n_i m_i / N, variance = sum n_i (v_i + (m_i - mean)^2) / N.
SampleSummary pool_thread_rates(const std::vector<LoadShare>& shares) {
    double total = 0;
    double weighted_mean = 0;
    double within = 0;
    SampleSummary pooled;
    for (const LoadShare& share : shares) {
        const double n = share.settings->threads * share.result->duration_sec;
        total += n;
        weighted_mean += n * share.result->thread_requests_per_sec.mean;
        within += n * share.result->thread_requests_per_sec.percent_within_stddev;
        pooled.max = std::max(pooled.max, share.result->thread_requests_per_sec.max);
    }
    if (total <= 0)
        return pooled;
    pooled.mean = weighted_mean / total;
    double variance = 0;
    for (const LoadShare& share : shares) {
        const double n = share.settings->threads * share.result->duration_sec;
        const SampleSummary& part = share.result->thread_requests_per_sec;
        variance +=
            n * (part.stddev * part.stddev + (part.mean - pooled.mean) * (part.mean - pooled.mean));
    }
    pooled.stddev = std::sqrt(variance / total);
    pooled.percent_within_stddev = within / total;
    return pooled;
}

// Whether a second with completed requests came with its histogram.
bool has_buckets(const TimelineSecond& second) {
    return second.completed == 0 || !second.latency_buckets.empty();
}

// Each merged second's p50 and p99 read from the union of the agents' histograms of that second
// (the seconds in `exact`); the others keep their upper bound.
void merge_second_histograms(const std::vector<LoadShare>& shares,
                             const std::vector<std::size_t>& shifts, const std::vector<bool>& exact,
                             LoadResult& merged) {
    LatencyHistogram second_latency(LatencyHistogram::k_default_highest_us, 2);
    for (std::size_t s = 0; s < merged.timeline.size(); ++s) {
        TimelineSecond& into = merged.timeline[s];
        if (!exact[s] || into.completed == 0)
            continue;
        second_latency.reset();
        for (std::size_t i = 0; i < shares.size(); ++i) {
            const std::vector<TimelineSecond>& seconds = shares[i].result->timeline;
            if (s < shifts[i] || s - shifts[i] >= seconds.size())
                continue;
            for (auto [value, count] : seconds[s - shifts[i]].latency_buckets)
                second_latency.record(value, count);
        }
        into.p50_us = second_latency.value_at_percentile(50);
        into.p99_us = second_latency.value_at_percentile(99);
        second_latency.for_each_bucket([&into](std::uint64_t value, std::uint64_t count) {
            into.latency_buckets.emplace_back(value, count);
        });
    }
}

void merge_timelines(const std::vector<LoadShare>& shares, LoadResult& merged) {
    std::uint64_t earliest = shares.front().measure_start_ns;
    for (const LoadShare& share : shares)
        earliest = std::min(earliest, share.measure_start_ns);
    std::vector<std::size_t> shifts;
    std::vector<bool> exact;
    for (const LoadShare& share : shares) {
        const auto shift = static_cast<std::size_t>(
            std::llround(static_cast<double>(share.measure_start_ns - earliest) / k_ns_per_sec));
        shifts.push_back(shift);
        const std::vector<TimelineSecond>& seconds = share.result->timeline;
        if (merged.timeline.size() < shift + seconds.size()) {
            merged.timeline.resize(shift + seconds.size());
            exact.resize(shift + seconds.size(), true);
        }
        for (std::size_t s = 0; s < seconds.size(); ++s) {
            TimelineSecond& into = merged.timeline[shift + s];
            into.completed += seconds[s].completed;
            into.failed += seconds[s].failed;
            into.bytes_read += seconds[s].bytes_read;
            if (seconds[s].completed > 0) {
                into.p50_us = std::max(into.p50_us, seconds[s].p50_us);
                into.p99_us = std::max(into.p99_us, seconds[s].p99_us);
            }
            exact[shift + s] = exact[shift + s] && has_buckets(seconds[s]);
        }
    }
    merge_second_histograms(shares, shifts, exact, merged);
}

}  // namespace

LoadResult merge_load_results(const std::vector<LoadShare>& shares) {
    if (shares.empty())
        throw std::invalid_argument("merge_load_results needs at least one share");
    const LatencyHistogram& first = shares.front().result->latency;
    LoadResult merged;
    merged.latency = LatencyHistogram(first.highest_trackable(), first.significant_digits());
    for (const LoadShare& share : shares) {
        add_counts(*share.result, merged);
        merged.latency.merge(share.result->latency);
        add_rate(*share.result, merged);
    }
    merged.thread_requests_per_sec = pool_thread_rates(shares);
    merge_timelines(shares, merged);
    return merged;
}

}  // namespace benchctl
