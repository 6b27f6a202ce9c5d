#include "util/duration.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "util/error.hpp"

namespace benchctl {
namespace {

constexpr const char* k_duration_hint =
    "use a number with a unit: 10s, 500ms, 2.5m, 1h (a bare number means seconds)";
constexpr const char* k_count_hint =
    "use a whole number, optionally with a k, M or G suffix (powers of 1000): 1000, 10k, 2M";
constexpr const char* k_rate_hint =
    "use a number of requests per second above zero, optionally with a k or M suffix: 500, 2.5k";

// "2.5ms" -> number "2.5", suffix "ms". The number is digits with an optional fraction; anything
// else ("-1", ".5", "1.", "1e3") leaves `number` empty so the caller reports it as malformed.
struct NumberAndSuffix {
    std::string_view number;
    std::string_view suffix;
};

std::size_t count_digits(std::string_view text, std::size_t from) {
    std::size_t end = from;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9')
        ++end;
    return end - from;
}

NumberAndSuffix split_number(std::string_view text, bool allow_fraction) {
    std::size_t end = count_digits(text, 0);
    if (end == 0)
        return {};
    if (allow_fraction && end < text.size() && text[end] == '.') {
        const std::size_t fraction = count_digits(text, end + 1);
        if (fraction == 0)
            return {};
        end += 1 + fraction;
    }
    return {text.substr(0, end), text.substr(end)};
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

// Nanoseconds per unit; units are case-insensitive as in wrk's scan_time.
std::optional<double> nanoseconds_per_unit(std::string_view unit) {
    if (unit.empty() || equals_ignoring_case(unit, "s"))
        return 1e9;
    if (equals_ignoring_case(unit, "us"))
        return 1e3;
    if (equals_ignoring_case(unit, "ms"))
        return 1e6;
    if (equals_ignoring_case(unit, "m"))
        return 60e9;
    if (equals_ignoring_case(unit, "h"))
        return 3600e9;
    return std::nullopt;
}

// Multiplier of an SI suffix (wrk's metric units k, M, G, T, P), case-insensitive.
std::optional<std::uint64_t> si_multiplier(std::string_view suffix) {
    if (suffix.empty())
        return 1;
    std::uint64_t multiplier = 1;
    for (const char* unit : {"k", "m", "g", "t", "p"}) {
        multiplier *= 1000;
        if (equals_ignoring_case(suffix, unit))
            return multiplier;
    }
    return std::nullopt;
}

// `number` is already known to be digits with an optional fraction; only its size can fail.
double to_double(std::string_view number) {
    double value = 0;
    const auto parsed = std::from_chars(number.data(), number.data() + number.size(), value);
    if (parsed.ec == std::errc::result_out_of_range) {
        const bool huge = number.find_first_not_of("0.") < number.find('.');
        return huge ? std::numeric_limits<double>::infinity() : 0.0;
    }
    return value;
}

}  // namespace

std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view where) {
    const auto [number, unit] = split_number(text, true);
    const std::optional<double> unit_ns = nanoseconds_per_unit(unit);
    if (number.empty() || !unit_ns) {
        const char* what = text.starts_with('-') ? "negative duration " : "malformed duration ";
        throw UserError(what + quoted(text), std::string(where), k_duration_hint);
    }
    const long double ns = static_cast<long double>(to_double(number)) * *unit_ns;
    if (ns > static_cast<long double>(std::chrono::nanoseconds::max().count())) {
        throw UserError("duration " + quoted(text) + " is too long", std::string(where),
                        k_duration_hint);
    }
    return std::chrono::nanoseconds(std::llround(static_cast<double>(ns)));
}

std::uint64_t parse_count(std::string_view text, std::string_view where) {
    const auto [number, suffix] = split_number(text, false);
    const std::optional<std::uint64_t> multiplier = si_multiplier(suffix);
    if (number.empty() || !multiplier) {
        throw UserError("malformed count " + quoted(text), std::string(where), k_count_hint);
    }
    std::uint64_t value = 0;
    const auto parsed = std::from_chars(number.data(), number.data() + number.size(), value);
    if (parsed.ec == std::errc::result_out_of_range ||
        value > std::numeric_limits<std::uint64_t>::max() / *multiplier) {
        throw UserError("count " + quoted(text) + " is too large", std::string(where),
                        k_count_hint);
    }
    return value * *multiplier;
}

double parse_rate(std::string_view text, std::string_view where) {
    const auto [number, suffix] = split_number(text, true);
    const std::optional<std::uint64_t> multiplier = si_multiplier(suffix);
    if (text.starts_with('-')) {
        throw UserError("negative rate " + quoted(text), std::string(where), k_rate_hint);
    }
    if (number.empty() || !multiplier) {
        throw UserError("malformed rate " + quoted(text), std::string(where), k_rate_hint);
    }
    const double rate = to_double(number) * static_cast<double>(*multiplier);
    if (rate == 0) {
        throw UserError("rate " + quoted(text) + " is zero", std::string(where), k_rate_hint);
    }
    if (!std::isfinite(rate)) {
        throw UserError("rate " + quoted(text) + " is too large", std::string(where), k_rate_hint);
    }
    return rate;
}

double parse_core_share(std::string_view text, std::string_view where) {
    constexpr const char* k_hint = "write a share of one core like 5% (150% is one and a half)";
    std::string_view number = text;
    if (number.ends_with('%'))
        number.remove_suffix(1);
    const auto [digits, suffix] = split_number(number, true);
    if (digits.empty() || !suffix.empty() || text.starts_with('-'))
        throw UserError("malformed percentage " + quoted(text), std::string(where), k_hint);
    const double percent = to_double(digits);
    if (!(percent > 0) || percent > 409'600) {
        throw UserError("percentage " + quoted(text) + " is out of range", std::string(where),
                        k_hint);
    }
    return percent;
}

}  // namespace benchctl

namespace benchctl {

double parse_percent(std::string_view text, std::string_view where) {
    const std::string_view digits = text.ends_with('%') ? text.substr(0, text.size() - 1) : text;
    const auto [number, suffix] = split_number(digits, true);
    const std::string hint = "write a percentage like 5 or 5% (or 0.5%)";
    if (text.starts_with('-'))
        throw UserError("negative percentage " + quoted(text), std::string(where), hint);
    if (number.empty() || !suffix.empty())
        throw UserError("malformed percentage " + quoted(text), std::string(where), hint);
    const double percent = to_double(number);
    if (!std::isfinite(percent) || percent > 100)
        throw UserError("percentage " + quoted(text) + " is above 100", std::string(where), hint);
    return percent / 100.0;
}

}  // namespace benchctl
