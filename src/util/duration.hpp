#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace benchctl {

// Parses a duration as users write it on a command line or in a matrix file: a non-negative
// decimal number followed by a unit: "us", "ms", "s", "m", "h" ("2.5s", "500ms", "10m").
// A bare number means seconds, as in wrk ("10" == "10s").
// Throws UserError naming `where` (the flag or key, e.g. "-d") on anything else ("10x", "", "-1s",
// "s").
std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view where);

// Parses a count with an optional SI suffix as wrk does: "1000", "10k", "2M", "1G" (powers of
// 1000, case-insensitive). Throws UserError naming `where` on anything else ("10x", "-5", "1.5k",
// overflow).
std::uint64_t parse_count(std::string_view text, std::string_view where);

// Parses a rate: a positive decimal number of events per second, with an optional SI suffix
// ("500", "2.5k", "1M"). Throws UserError naming `where` when the value is malformed, zero or
// negative.
double parse_rate(std::string_view text, std::string_view where);

// Parses a percentage as users type it for a flag such as --threshold: "5", "5%", "0.5%" (from
// 0 to 100), returned as a fraction (0.05). Throws UserError naming `where` on anything else.
double parse_percent(std::string_view text, std::string_view where);

// Parses a share of one CPU core as a percentage: "5%", "150%" or a bare "5" (greater than 0,
// at most 100 times the CPUs a machine could have), returned as the percentage (5, 150). Throws
// UserError naming `where` otherwise.
double parse_core_share(std::string_view text, std::string_view where);

}  // namespace benchctl
