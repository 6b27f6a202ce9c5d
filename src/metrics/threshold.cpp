#include "metrics/threshold.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace benchctl {

namespace {

using Unit = std::pair<std::string_view, double>;  // suffix, factor into the metric's unit

// Longest operators first, so that "<=" is not read as "<" followed by "=".
constexpr std::array<std::pair<std::string_view, ThresholdOperator>, 6> k_operators = {{
    {"<=", ThresholdOperator::less_equal},
    {">=", ThresholdOperator::greater_equal},
    {"==", ThresholdOperator::equal},
    {"!=", ThresholdOperator::not_equal},
    {"<", ThresholdOperator::less},
    {">", ThresholdOperator::greater},
}};

// The units a metric of `unit` accepts after its number; "" is the bare number.
std::vector<Unit> units_for(std::string_view unit) {
    if (unit == "ms")
        return {{"", 1}, {"us", 1e-3}, {"µs", 1e-3}, {"ms", 1}, {"s", 1e3}};
    if (unit == "s")
        return {{"", 1}, {"us", 1e-6}, {"µs", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}};
    if (unit == "bytes") {
        return {{"", 1},
                {"B", 1},
                {"KB", 1e3},
                {"MB", 1e6},
                {"GB", 1e9},
                {"KiB", 1024.0},
                {"MiB", 1024.0 * 1024},
                {"GiB", 1024.0 * 1024 * 1024}};
    }
    if (unit == "ratio")
        return {{"", 1}, {"%", 0.01}};
    return {{"", 1}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}};
}

std::string unit_list(const std::vector<Unit>& units) {
    std::vector<std::string> names;
    for (const auto& [suffix, factor] : units) {
        if (!suffix.empty())
            names.emplace_back(suffix);
    }
    return fmt::format("{}", fmt::join(names, ", "));
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    return text;
}

std::string example_for(std::string_view unit) {
    if (unit == "ms")
        return "\"< 250ms\"";
    if (unit == "bytes")
        return "\"< 512MiB\"";
    if (unit == "ratio")
        return "\"< 0.01\" or \"< 1%\"";
    return "\">= 1000\"";
}

}  // namespace

const char* operator_text(ThresholdOperator op) {
    for (const auto& [text, known] : k_operators) {
        if (known == op)
            return text.data();
    }
    return "?";
}

Threshold parse_threshold(std::string_view key, Metric metric, std::string_view text) {
    const MetricDescriptor& descriptor = describe(metric);
    const std::string hint =
        fmt::format("write an operator (<, <=, >, >=, ==, !=) and a number{}, e.g. {}: {}",
                    std::string_view(descriptor.unit) == "ms" ? " with a unit" : "", key,
                    example_for(descriptor.unit));
    Threshold threshold{std::string(key), metric, std::string(text)};
    std::string_view rest = trimmed(text);
    bool found = false;
    for (const auto& [symbol, op] : k_operators) {
        if (rest.substr(0, symbol.size()) == symbol) {
            threshold.op = op;
            rest = trimmed(rest.substr(symbol.size()));
            found = true;
            break;
        }
    }
    if (!found)
        throw UserError(fmt::format("threshold '{}' has no comparison", text), "", hint);
    const std::string number(rest);
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (end == number.c_str() || !std::isfinite(value) || value < 0 || number[0] == '+' ||
        number[0] == '-') {
        throw UserError(fmt::format("threshold '{}' has no number after '{}'", text,
                                    operator_text(threshold.op)),
                        "", hint);
    }
    const std::string_view suffix = trimmed(std::string_view(end));
    const std::vector<Unit> units = units_for(descriptor.unit);
    for (const auto& [name, factor] : units) {
        if (suffix == name) {
            threshold.bound = value * factor;
            return threshold;
        }
    }
    throw UserError(
        fmt::format("threshold '{}': {} does not take the unit '{}'", text, key, suffix), "",
        fmt::format(
            "{} is in {}; write {}", key, descriptor.unit,
            units.size() > 1 ? "a number or one of " + unit_list(units) : "a plain number"));
}

bool threshold_holds(const Threshold& threshold, double value) {
    switch (threshold.op) {
        case ThresholdOperator::less:
            return value < threshold.bound;
        case ThresholdOperator::less_equal:
            return value <= threshold.bound;
        case ThresholdOperator::greater:
            return value > threshold.bound;
        case ThresholdOperator::greater_equal:
            return value >= threshold.bound;
        case ThresholdOperator::equal:
            return value == threshold.bound;
        case ThresholdOperator::not_equal:
            return value != threshold.bound;
    }
    return false;
}

}  // namespace benchctl
