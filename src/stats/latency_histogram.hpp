#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

namespace benchctl {

class JsonField;

// A log-linear latency histogram after Gil Tene's HdrHistogram: values (microseconds) are kept
// with a fixed number of significant decimal digits over the whole range, in buckets whose width
// doubles every power of two. With the defaults (1 us .. 1 h, 3 digits) every recorded value is
// reproduced to within 0.1%, and the counts array holds 23,552 entries (184 KiB).
//
// Mean and standard deviation are computed from exact running sums (128-bit integers), not from
// bucket midpoints. Not thread-safe: give each thread its own histogram and merge() after join.
class LatencyHistogram {
  public:
    static constexpr std::uint64_t k_default_highest_us = 3'600'000'000ULL;  // one hour
    static constexpr int k_default_significant_digits = 3;

    // Tracks 0..highest_trackable_us with `significant_digits` (1..5) decimal digits of
    // precision. Values above the highest are clamped to it (and counted in clamped()).
    // Throws std::invalid_argument when the digits are outside 1..5 or the highest value is
    // below 2 or above INT64_MAX.
    explicit LatencyHistogram(std::uint64_t highest_trackable_us = k_default_highest_us,
                              int significant_digits = k_default_significant_digits);

    // Adds one observation of `value_us` microseconds. O(1); allocates only when the value falls
    // above every bucket recorded so far (the counts grow a whole bucket at a time).
    void record(std::uint64_t value_us) { record(value_us, 1); }
    // Adds `count` observations of `value_us`.
    void record(std::uint64_t value_us, std::uint64_t count);

    // Adds every observation of `other`. Throws std::invalid_argument when the two differ in
    // range or precision.
    void merge(const LatencyHistogram& other);

    // Forgets every observation; keeps range and precision.
    void reset();

    std::uint64_t count() const { return m_total; }
    // Observations that were above the highest trackable value and recorded as it.
    std::uint64_t clamped() const { return m_clamped; }
    // Exact smallest / largest recorded value; 0 when empty.
    std::uint64_t min() const;
    std::uint64_t max() const { return m_max; }
    // Exact mean and population standard deviation; 0 when empty.
    double mean() const;
    double stddev() const;

    // The value at `percentile` (0..100]: the highest value equivalent (same bucket) to the
    // observation of rank ceil(percentile/100 * count), as HdrHistogram's getValueAtPercentile,
    // clamped to the exact max. 0 when empty.
    std::uint64_t value_at_percentile(double percentile) const;

    // Percentage (0..100) of observations within [mean - stddev, mean + stddev], the
    // "+/- Stdev" column of wrk. Computed per bucket, so exact to the histogram's precision.
    double percent_within_stddev() const;

    std::uint64_t highest_trackable() const { return m_highest_trackable; }
    int significant_digits() const { return m_significant_digits; }

    // Compact, lossless serialisation: range, precision, exact sums and the non-empty buckets as
    // a flat array [index_delta, count, index_delta, count, ...] of counts-array indices (the
    // first delta counts from index 0). Keys: highest_trackable_us, significant_digits, total,
    // clamped, min, max, sum, sum_of_squares, counts; the two sums are decimal strings because
    // they outgrow 64 bits. from_json throws UserError naming the field's path when the document
    // is malformed or inconsistent (counts that do not add up to the total ...).
    nlohmann::json to_json() const;
    static LatencyHistogram from_json(const JsonField& field);

    // Calls visit(value_us, count) for every non-empty bucket in increasing order, where
    // value_us is the highest value equivalent to the bucket.
    template <typename Visit>
    void for_each_bucket(Visit&& visit) const {
        for (std::size_t i = 0; i < m_counts.size(); ++i) {
            if (m_counts[i] != 0)
                visit(highest_equivalent_value(value_at_index(i)), m_counts[i]);
        }
    }

  private:
    // Sums of values and of squared values need more than 64 bits; GCC and Clang have 128.
    __extension__ typedef unsigned __int128 Uint128;

    int bucket_index_for(std::uint64_t value) const;
    std::size_t counts_index_for(std::uint64_t value) const;
    std::uint64_t value_at_index(std::size_t index) const;
    std::uint64_t lowest_equivalent_value(std::uint64_t value) const;
    std::uint64_t highest_equivalent_value(std::uint64_t value) const;
    std::uint64_t equivalent_range_size(std::uint64_t value) const;
    void restore_counts(const JsonField& counts);
    void grow_to_hold(std::size_t index);
    void restore_summary(const JsonField& field);

    std::uint64_t m_highest_trackable;
    int m_significant_digits;
    int m_sub_bucket_half_count_magnitude;
    std::uint64_t m_sub_bucket_count;
    std::uint64_t m_sub_bucket_half_count;
    std::uint64_t m_sub_bucket_mask;
    std::size_t m_capacity;               // counts the whole range needs
    std::vector<std::uint64_t> m_counts;  // grown on demand up to m_capacity: a histogram of
                                          // millisecond latencies never touches the top buckets
    std::uint64_t m_total = 0;
    std::uint64_t m_clamped = 0;
    std::uint64_t m_min = UINT64_MAX;
    std::uint64_t m_max = 0;
    Uint128 m_sum = 0;
    Uint128 m_sum_of_squares = 0;
};

}  // namespace benchctl
