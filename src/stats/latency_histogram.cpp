// The bucket layout and index arithmetic follow HdrHistogram (Gil Tene; the C port
// HdrHistogram_c, hdr_histogram.c) with a unit magnitude of 0: one microsecond is the smallest
// distinguishable value.
#include "stats/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "util/json_field.hpp"

namespace benchctl {
namespace {

__extension__ typedef unsigned __int128 Uint128;

constexpr std::uint64_t k_max_highest_trackable = std::numeric_limits<std::int64_t>::max();

std::uint64_t checked_highest(std::uint64_t highest) {
    if (highest < 2 || highest > k_max_highest_trackable) {
        throw std::invalid_argument("latency histogram range must be 2..INT64_MAX microseconds");
    }
    return highest;
}

int checked_digits(int digits) {
    if (digits < 1 || digits > 5) {
        throw std::invalid_argument("latency histogram precision must be 1..5 significant digits");
    }
    return digits;
}

// HdrHistogram's sub_bucket_half_count_magnitude: a bucket must tell apart 2 * 10^digits values
// at unit resolution, so it has ceil(log2(2 * 10^digits)) bits of sub-buckets; this is one less.
int half_count_magnitude_for(int digits) {
    std::uint64_t largest_value_with_single_unit_resolution = 2;
    for (int i = 0; i < digits; ++i)
        largest_value_with_single_unit_resolution *= 10;
    return static_cast<int>(std::bit_width(largest_value_with_single_unit_resolution - 1)) - 1;
}

// HdrHistogram's buckets_needed_to_cover_value: every bucket doubles the range covered.
std::size_t buckets_needed(std::uint64_t highest, std::uint64_t sub_bucket_count) {
    std::uint64_t smallest_untrackable = sub_bucket_count;
    std::size_t buckets = 1;
    while (smallest_untrackable <= highest) {
        if (smallest_untrackable > k_max_highest_trackable / 2)
            return buckets + 1;
        smallest_untrackable <<= 1;
        ++buckets;
    }
    return buckets;
}

std::string to_decimal(Uint128 value) {
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
        value /= 10;
    } while (value != 0);
    return digits;
}

constexpr const char* k_invalid = "is not a valid histogram: ";

// A sum kept as a decimal string: it outgrows 64 bits.
Uint128 decimal_field(const JsonField& field) {
    const std::string text = field.as_string();
    if (text.empty())
        field.fail_type("a decimal string");
    Uint128 result = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            field.fail_type("a decimal string");
        if (result > (~Uint128{0} - 9) / 10)
            field.fail("overflows");
        result = result * 10 + static_cast<unsigned>(c - '0');
    }
    return result;
}

}  // namespace

LatencyHistogram::LatencyHistogram(std::uint64_t highest_trackable_us, int significant_digits)
    : m_highest_trackable(checked_highest(highest_trackable_us)),
      m_significant_digits(checked_digits(significant_digits)),
      m_sub_bucket_half_count_magnitude(half_count_magnitude_for(m_significant_digits)),
      m_sub_bucket_count(std::uint64_t{1} << (m_sub_bucket_half_count_magnitude + 1)),
      m_sub_bucket_half_count(m_sub_bucket_count / 2),
      m_sub_bucket_mask(m_sub_bucket_count - 1),
      m_capacity((buckets_needed(m_highest_trackable, m_sub_bucket_count) + 1) *
                 m_sub_bucket_half_count) {}

void LatencyHistogram::grow_to_hold(std::size_t index) {
    // Whole buckets at a time (half a sub-bucket count each), so a run grows its counts a few
    // dozen times at most; never past the capacity the range needs.
    const std::size_t step = m_sub_bucket_half_count;
    m_counts.resize(std::min(m_capacity, (index / step + 1) * step), 0);
}

void LatencyHistogram::record(std::uint64_t value_us, std::uint64_t count) {
    if (count == 0)
        return;
    if (value_us > m_highest_trackable) {
        value_us = m_highest_trackable;
        m_clamped += count;
    }
    const std::size_t index = counts_index_for(value_us);
    if (index >= m_counts.size())
        grow_to_hold(index);
    m_counts[index] += count;
    m_total += count;
    m_min = std::min(m_min, value_us);
    m_max = std::max(m_max, value_us);
    m_sum += Uint128{value_us} * count;
    m_sum_of_squares += Uint128{value_us} * value_us * count;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (other.m_highest_trackable != m_highest_trackable ||
        other.m_significant_digits != m_significant_digits) {
        throw std::invalid_argument(
            "cannot merge latency histograms of different range or precision");
    }
    if (other.m_counts.size() > m_counts.size())
        m_counts.resize(other.m_counts.size(), 0);
    for (std::size_t i = 0; i < other.m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_total += other.m_total;
    m_clamped += other.m_clamped;
    m_min = std::min(m_min, other.m_min);
    m_max = std::max(m_max, other.m_max);
    m_sum += other.m_sum;
    m_sum_of_squares += other.m_sum_of_squares;
}

void LatencyHistogram::reset() {
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_total = 0;
    m_clamped = 0;
    m_min = UINT64_MAX;
    m_max = 0;
    m_sum = 0;
    m_sum_of_squares = 0;
}

std::uint64_t LatencyHistogram::min() const {
    return m_total == 0 ? 0 : m_min;
}

double LatencyHistogram::mean() const {
    if (m_total == 0)
        return 0;
    return static_cast<double>(static_cast<long double>(m_sum) / m_total);
}

double LatencyHistogram::stddev() const {
    if (m_total == 0)
        return 0;
    // Population variance as (n * sum(x^2) - sum(x)^2) / n^2: the numerator is exact in 128 bits
    // while the summed latency stays below ~1.8e19 us, i.e. always in practice. Past that, the
    // textbook E[x^2] - E[x]^2 in long double.
    Uint128 n_times_squares = 0;
    Uint128 sum_squared = 0;
    if (!__builtin_mul_overflow(m_sum_of_squares, Uint128{m_total}, &n_times_squares) &&
        !__builtin_mul_overflow(m_sum, m_sum, &sum_squared)) {
        const auto numerator = static_cast<long double>(n_times_squares - sum_squared);
        return static_cast<double>(std::sqrt(numerator) / m_total);
    }
    const long double mean = static_cast<long double>(m_sum) / m_total;
    const long double variance = static_cast<long double>(m_sum_of_squares) / m_total - mean * mean;
    return variance > 0 ? static_cast<double>(std::sqrt(variance)) : 0.0;
}

std::uint64_t LatencyHistogram::value_at_percentile(double percentile) const {
    if (m_total == 0)
        return 0;
    if (!(percentile > 0))
        return min();
    // HdrHistogram's getValueAtPercentile (Java): rank ceil(p/100 * count), with p first moved
    // one ulp down so that a product that lands a hair above an integer does not skip a rank.
    const double requested = std::min(std::nextafter(percentile, 0.0), 100.0);
    const double fractional_rank = requested / 100.0 * static_cast<double>(m_total);
    const auto rank =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(fractional_rank)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank)
            return std::min(highest_equivalent_value(value_at_index(i)), m_max);
    }
    return m_max;
}

double LatencyHistogram::percent_within_stddev() const {
    if (m_total == 0)
        return 0;
    // wrk's stats_within_stdev, per bucket: a bucket counts when its median equivalent value
    // (HdrHistogram's medianEquivalentValue) lies within mean +/- stddev.
    const long double mean = this->mean();
    const long double sd = stddev();
    std::uint64_t within = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        if (m_counts[i] == 0)
            continue;
        const std::uint64_t lowest = value_at_index(i);
        const long double median =
            static_cast<long double>(lowest + equivalent_range_size(lowest) / 2);
        if (median >= mean - sd && median <= mean + sd)
            within += m_counts[i];
    }
    return static_cast<double>(static_cast<long double>(within) / m_total * 100);
}

nlohmann::json LatencyHistogram::to_json() const {
    nlohmann::json counts = nlohmann::json::array();
    std::size_t previous = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        if (m_counts[i] == 0)
            continue;
        counts.push_back(static_cast<std::uint64_t>(i - previous));
        counts.push_back(m_counts[i]);
        previous = i;
    }
    return {{"highest_trackable_us", m_highest_trackable},
            {"significant_digits", static_cast<std::uint64_t>(m_significant_digits)},
            {"total", m_total},
            {"clamped", m_clamped},
            {"min", min()},
            {"max", m_max},
            {"sum", to_decimal(m_sum)},
            {"sum_of_squares", to_decimal(m_sum_of_squares)},
            {"counts", std::move(counts)}};
}

LatencyHistogram LatencyHistogram::from_json(const JsonField& field) {
    const std::uint64_t highest = field["highest_trackable_us"].as_unsigned();
    const std::uint64_t digits = field["significant_digits"].as_unsigned();
    if (highest < 2 || highest > k_max_highest_trackable || digits < 1 || digits > 5)
        field.fail(std::string(k_invalid) + "range or precision out of bounds");
    LatencyHistogram histogram(highest, static_cast<int>(digits));
    histogram.restore_counts(field["counts"]);
    histogram.restore_summary(field);
    return histogram;
}

void LatencyHistogram::restore_counts(const JsonField& counts) {
    const std::size_t size = counts.size();
    if (size % 2 != 0)
        counts.fail_type("an array of [index_delta, count] pairs");
    const auto invalid = [&](const char* reason) { counts.fail(std::string(k_invalid) + reason); };
    std::uint64_t index = 0;
    for (std::size_t i = 0; i < size; i += 2) {
        const std::uint64_t delta = counts.unsigned_at(i);
        const std::uint64_t count = counts.unsigned_at(i + 1);
        if ((i > 0 && delta == 0) || delta >= m_capacity - index)
            invalid("bucket indices must increase and stay in range");
        index += delta;
        if (value_at_index(index) > m_highest_trackable)
            invalid("a bucket lies above the range");
        if (count == 0)
            invalid("it lists an empty bucket");
        if (count > UINT64_MAX - m_total)
            invalid("the total count overflows");
        if (index >= m_counts.size())
            grow_to_hold(index);
        m_counts[index] = count;
        m_total += count;
    }
}

void LatencyHistogram::restore_summary(const JsonField& field) {
    const auto invalid = [&](const char* reason) { field.fail(std::string(k_invalid) + reason); };
    if (field["total"].as_unsigned() != m_total)
        invalid("'total' differs from the bucket counts");
    m_clamped = field["clamped"].as_unsigned();
    const std::uint64_t min = field["min"].as_unsigned();
    m_max = field["max"].as_unsigned();
    m_sum = decimal_field(field["sum"]);
    m_sum_of_squares = decimal_field(field["sum_of_squares"]);
    if (m_clamped > m_total)
        invalid("'clamped' exceeds 'total'");
    if (m_total == 0) {
        if (min != 0 || m_max != 0 || m_sum != 0 || m_sum_of_squares != 0)
            invalid("an empty histogram must have zero min, max and sums");
        return;
    }
    m_min = min;
    if (m_min > m_max || m_max > m_highest_trackable)
        invalid("'min' or 'max' out of range");
    const auto first =
        std::find_if(m_counts.begin(), m_counts.end(), [](auto c) { return c != 0; });
    const auto last =
        std::find_if(m_counts.rbegin(), m_counts.rend(), [](auto c) { return c != 0; });
    if (counts_index_for(m_min) != static_cast<std::size_t>(first - m_counts.begin()) ||
        counts_index_for(m_max) != static_cast<std::size_t>(m_counts.rend() - last - 1)) {
        invalid("'min' or 'max' does not match the first or last bucket");
    }
    if (m_clamped > 0 && m_max != m_highest_trackable)
        invalid("clamped values but 'max' is below the range");
    if (m_sum < Uint128{m_min} * m_total || m_sum > Uint128{m_max} * m_total)
        invalid("'sum' does not fit between min * total and max * total");
}

int LatencyHistogram::bucket_index_for(std::uint64_t value) const {
    // The bucket is the power of two above the value, counted from the first bucket's range;
    // or-ing the mask puts every value below the sub-bucket count into bucket 0.
    const int pow2_ceiling = 64 - std::countl_zero(value | m_sub_bucket_mask);
    return pow2_ceiling - (m_sub_bucket_half_count_magnitude + 1);
}

std::size_t LatencyHistogram::counts_index_for(std::uint64_t value) const {
    const int bucket = bucket_index_for(value);
    const std::uint64_t sub_bucket = value >> bucket;
    // Buckets after the first use only their upper half of sub-buckets: the lower half is covered
    // by the bucket before at twice the resolution.
    const std::uint64_t bucket_base = static_cast<std::uint64_t>(bucket + 1)
                                      << m_sub_bucket_half_count_magnitude;
    return static_cast<std::size_t>(bucket_base + sub_bucket - m_sub_bucket_half_count);
}

std::uint64_t LatencyHistogram::value_at_index(std::size_t index) const {
    int bucket = static_cast<int>(index >> m_sub_bucket_half_count_magnitude) - 1;
    std::uint64_t sub_bucket = (index & (m_sub_bucket_half_count - 1)) + m_sub_bucket_half_count;
    if (bucket < 0) {
        sub_bucket -= m_sub_bucket_half_count;
        bucket = 0;
    }
    return sub_bucket << bucket;
}

std::uint64_t LatencyHistogram::lowest_equivalent_value(std::uint64_t value) const {
    const int bucket = bucket_index_for(value);
    return (value >> bucket) << bucket;
}

std::uint64_t LatencyHistogram::highest_equivalent_value(std::uint64_t value) const {
    return lowest_equivalent_value(value) + equivalent_range_size(value) - 1;
}

std::uint64_t LatencyHistogram::equivalent_range_size(std::uint64_t value) const {
    return std::uint64_t{1} << bucket_index_for(value);
}

}  // namespace benchctl
