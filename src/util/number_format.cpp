#include "util/number_format.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace benchctl {

namespace {

// Puts a ',' between every three digits of the integer part of a plain decimal number. Built by
// appending (not std::string::insert, which trips GCC 12's -Wrestrict false positive).
std::string group_thousands(const std::string& digits) {
    const std::size_t sign = (!digits.empty() && digits[0] == '-') ? 1 : 0;
    std::size_t end = digits.find('.');
    if (end == std::string::npos)
        end = digits.size();
    std::string out = digits.substr(0, sign);
    for (std::size_t i = sign; i < end; ++i) {
        if (i != sign && (end - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    out += digits.substr(end);
    return out;
}

}  // namespace

std::string format_count(std::uint64_t value) {
    return group_thousands(fmt::format("{}", value));
}

std::string format_grouped(double value, int decimals) {
    return group_thousands(fmt::format("{:.{}f}", value, decimals));
}

std::string format_ms(double milliseconds) {
    return format_grouped(milliseconds, 2) + " ms";
}

std::string format_bytes(std::uint64_t bytes) {
    constexpr std::array k_units = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024)
        return fmt::format("{} B", bytes);
    double amount = static_cast<double>(bytes) / 1024.0;
    std::size_t unit = 0;
    while (amount >= 1024.0 && unit + 1 < k_units.size()) {
        amount /= 1024.0;
        ++unit;
    }
    return fmt::format("{:.1f} {}", amount, k_units[unit]);
}

std::string format_ratio(double ratio) {
    return fmt::format("{:.2f}x", ratio);
}

}  // namespace benchctl
