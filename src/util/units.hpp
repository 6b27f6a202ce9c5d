#pragma once

#include <string>

namespace benchctl {

// Human-readable numbers formatted exactly as wrk formats them (wrk's src/units.c), so that
// benchctl's text output matches wrk's line for line. All use two decimals; a unit is chosen when
// the amount reaches 85% of the next scale (so 900us prints as "0.90ms"). As in wrk, the largest
// unit of each ladder is never used: time stops at minutes, bytes and counts at T.

// Microseconds -> "635.91us", "12.92ms", "1.20s", "2.00m", "120.00m".
std::string format_time_us(double microseconds);

// Bytes in powers of 1024 without the trailing "B" -> "75.24M", "867.71K", "512.00".
std::string format_binary(double bytes);

// A plain count in powers of 1000 -> "1.37k", "318.64", "2.91M".
std::string format_metric(double value);

// Seconds as wrk prints a test duration, no decimals -> "10s", "2m", "60m".
std::string format_time_s(double seconds);

// Pads `text` the way wrk's print_units does: right-aligned in `width` columns, where a value
// without a unit suffix keeps two trailing spaces and a value with a one-letter unit keeps one.
std::string pad_units(const std::string& text, int width);

}  // namespace benchctl
