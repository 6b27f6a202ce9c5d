#pragma once

#include <cstdint>
#include <string>

namespace benchctl {

// Numbers formatted for people in reports (tables, environment lists). Machine formats (CSV,
// JSON) never use these: they write raw numbers.

// A count with thousands separators: 1234567 -> "1,234,567".
std::string format_count(std::uint64_t value);

// A number with `decimals` decimals and thousands separators: 26658.0 -> "26,658.00".
std::string format_grouped(double value, int decimals);

// Milliseconds with two decimals and the unit: 84.83 -> "84.83 ms", 1204.22 -> "1,204.22 ms".
// One unit for a whole column keeps rows comparable.
std::string format_ms(double milliseconds);

// Bytes in binary units with one decimal: 130023424 -> "124.0 MiB", 512 -> "512 B".
std::string format_bytes(std::uint64_t bytes);

// A ratio to the best cell: 0.4213 -> "0.42x".
std::string format_ratio(double ratio);

}  // namespace benchctl
