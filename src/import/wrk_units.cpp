#include "import/wrk_units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "util/units.hpp"

namespace benchctl {
namespace {

struct Unit {
    std::string_view suffix;
    double factor;
};

// The largest amount in a unit's base (microseconds, bytes, requests/s) an import takes: beyond
// it a conversion to a 64-bit count would saturate (2^62 bytes is 4 EiB).
constexpr double k_max_amount = 4.6e18;

// A decimal number as wrk prints it ("84.83", "10": no exponent) followed by one of `units`,
// scaled by its factor; nullopt for anything else, or a result above k_max_amount.
template <std::size_t N>
std::optional<double> read_amount(std::string_view text, const std::array<Unit, N>& units) {
    double number = 0;
    const char* const end = text.data() + text.size();
    const auto [rest, error] = std::from_chars(text.data(), end, number, std::chars_format::fixed);
    if (error != std::errc() || rest == text.data() || number < 0 || !std::isfinite(number))
        return std::nullopt;
    const std::string_view suffix(rest, static_cast<std::size_t>(end - rest));
    for (const Unit& unit : units) {
        if (suffix == unit.suffix && number * unit.factor <= k_max_amount)
            return number * unit.factor;
    }
    return std::nullopt;
}

// The value nearest `value` that `format` prints as `text` (value itself when it does).
template <typename Format>
double matching_value(double value, std::string_view text, Format format) {
    if (format(value) == text)
        return value;
    for (const double step : {1e-12, 1e-9, 1e-6}) {
        for (const double candidate : {value * (1 - step), value * (1 + step)}) {
            if (format(candidate) == text)
                return candidate;
        }
    }
    return value;
}

template <std::size_t N, typename Format>
std::optional<double> parse_exact(std::string_view text, const std::array<Unit, N>& units,
                                  Format format) {
    const std::optional<double> value = read_amount(text, units);
    if (!value)
        return std::nullopt;
    return matching_value(*value, text, format);
}

constexpr double k_kib = 1024.0;

}  // namespace

std::optional<double> parse_wrk_time_us(std::string_view text) {
    static constexpr std::array<Unit, 5> units = {
        {{"us", 1.0}, {"ms", 1e3}, {"s", 1e6}, {"m", 60e6}, {"h", 3600e6}}};
    return parse_exact(text, units, format_time_us);
}

std::optional<double> parse_wrk_bytes(std::string_view text) {
    static constexpr std::array<Unit, 5> units = {{{"B", 1.0},
                                                   {"KB", k_kib},
                                                   {"MB", k_kib * k_kib},
                                                   {"GB", k_kib * k_kib * k_kib},
                                                   {"TB", k_kib * k_kib * k_kib * k_kib}}};
    return parse_exact(text, units, [](double bytes) { return format_binary(bytes) + "B"; });
}

std::optional<double> parse_wrk_metric(std::string_view text) {
    static constexpr std::array<Unit, 5> units = {
        {{"", 1.0}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}}};
    return parse_exact(text, units, format_metric);
}

std::optional<double> parse_wrk_seconds(std::string_view text) {
    static constexpr std::array<Unit, 3> units = {{{"s", 1.0}, {"m", 60.0}, {"h", 3600.0}}};
    return read_amount(text, units);
}

}  // namespace benchctl
