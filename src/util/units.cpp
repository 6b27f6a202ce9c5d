#include "util/units.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace benchctl {
namespace {

// One of wrk's unit ladders (src/units.c): a base unit and the larger ones, each `scale` times the
// one before. The list ends with nullptr as wrk's does; wrk's loop tests units[i + 1], so the last
// listed unit is never reached ("h", "P"), and we keep that for identical output.
struct UnitLadder {
    int scale;
    const char* base;
    std::array<const char*, 6> units;
};

constexpr UnitLadder k_time_us_units{1000, "us", {"ms", "s"}};
constexpr UnitLadder k_time_s_units{60, "s", {"m", "h"}};
constexpr UnitLadder k_binary_units{1024, "", {"K", "M", "G", "T", "P"}};
constexpr UnitLadder k_metric_units{1000, "", {"k", "M", "G", "T", "P"}};

// wrk's format_units: climbs the ladder while the amount reaches 85% of the next step. Computed in
// long double and printed with C's printf, as wrk does, so rounding is the same digit for digit.
std::string format_units(long double amount, const UnitLadder& ladder, int precision) {
    const long double threshold = ladder.scale * 0.85;
    const char* unit = ladder.base;
    for (int i = 0; ladder.units[i + 1] != nullptr && amount >= threshold; ++i) {
        amount /= ladder.scale;
        unit = ladder.units[i];
    }
    const int length = std::snprintf(nullptr, 0, "%.*Lf%s", precision, amount, unit);
    std::string text(static_cast<std::size_t>(length), '\0');
    std::snprintf(text.data(), text.size() + 1, "%.*Lf%s", precision, amount, unit);
    return text;
}

bool is_letter(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::string format_time_us(double microseconds) {
    long double amount = microseconds;
    if (amount >= 1000000.0) {
        return format_units(amount / 1000000.0, k_time_s_units, 2);
    }
    return format_units(amount, k_time_us_units, 2);
}

std::string format_binary(double bytes) {
    return format_units(bytes, k_binary_units, 2);
}

std::string format_metric(double value) {
    return format_units(value, k_metric_units, 2);
}

std::string format_time_s(double seconds) {
    return format_units(seconds, k_time_s_units, 0);
}

std::string pad_units(const std::string& text, int width) {
    // wrk's print_units: a unit suffix takes the place of trailing padding, so that the digits of
    // "84.83ms", "1.37k" and "318.64" line up in a column.
    int pad = 2;
    const std::size_t length = text.size();
    if (length >= 1 && is_letter(text[length - 1]))
        --pad;
    if (length >= 2 && is_letter(text[length - 2]))
        --pad;
    // printf's "%*.*s" both right-aligns in and truncates to the field.
    const auto field = static_cast<std::size_t>(std::max(width - pad, 0));
    const std::string shown = text.substr(0, field);
    return std::string(field - shown.size(), ' ') + shown +
           std::string(static_cast<std::size_t>(pad), ' ');
}

}  // namespace benchctl
