#pragma once

#include <optional>
#include <string_view>

namespace benchctl {

// wrk's printed amounts (util/units.hpp formats them) read back into numbers in the document's
// units. The value returned formats back to exactly `text` with the matching formatter, even at a
// unit boundary (wrk prints 849.996us as "850.00us", which read as 850 would print as "0.85ms"):
// when the plain reading does not, the nearest value that does is returned. nullopt when `text`
// is not a decimal number followed by one of the ladder's units.

// Time, to microseconds: "635.91us", "84.83ms", "1.20s", "2.00m", "1.00h".
std::optional<double> parse_wrk_time_us(std::string_view text);

// Bytes in powers of 1024 with wrk's trailing "B": "512.00B", "867.71KB", "75.24MB", "1.20GB".
std::optional<double> parse_wrk_bytes(std::string_view text);

// A count in powers of 1000: "318.64", "1.37k", "2.91M".
std::optional<double> parse_wrk_metric(std::string_view text);

// A test duration as in "Running 10s test", to seconds: "10s", "2m", "1h".
std::optional<double> parse_wrk_seconds(std::string_view text);

}  // namespace benchctl
