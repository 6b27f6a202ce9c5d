#include "agent/load_split.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "util/error.hpp"

namespace benchctl {

namespace {

void check_weights(const std::vector<double>& weights) {
    if (weights.empty())
        throw UserError("a load needs at least one agent", "load.agents", "name one host or more");
    for (double weight : weights) {
        if (!std::isfinite(weight) || weight <= 0) {
            throw UserError(fmt::format("agent weight {} is not a positive number", weight),
                            "load.agents", "give every agent a weight above 0 (default 1)");
        }
    }
}

std::vector<double> as_weights(const std::vector<LoadSettings>& parts) {
    std::vector<double> connections;
    for (const LoadSettings& part : parts)
        connections.push_back(static_cast<double>(part.connections));
    return connections;
}

}  // namespace

std::vector<std::uint64_t> apportion(std::uint64_t total, const std::vector<double>& weights) {
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<std::uint64_t> parts(weights.size(), 0);
    std::vector<double> remainders(weights.size(), 0);
    std::uint64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const long double quota = static_cast<long double>(total) * weights[i] / sum;
        parts[i] = static_cast<std::uint64_t>(std::floor(quota));
        remainders[i] = static_cast<double>(quota - static_cast<long double>(parts[i]));
        given += parts[i];
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
    for (std::size_t k = 0; given < total; k = (k + 1) % order.size(), ++given)
        ++parts[order[k]];
    return parts;
}

std::vector<LoadSettings> split_load(const LoadSettings& settings,
                                     const std::vector<double>& weights) {
    check_weights(weights);
    const std::vector<std::uint64_t> connections = apportion(settings.connections, weights);
    if (*std::min_element(connections.begin(), connections.end()) == 0) {
        throw UserError(
            fmt::format("{} connection{} cannot give each of the {} agents one",
                        settings.connections, settings.connections == 1 ? "" : "s", weights.size()),
            "load.connections", "use at least as many connections as agents, or fewer agents");
    }
    const double weight_sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<LoadSettings> parts(weights.size(), settings);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        parts[i].connections = static_cast<unsigned>(connections[i]);
        parts[i].threads = std::min(settings.threads, parts[i].connections);
        if (settings.rate_per_sec)
            parts[i].rate_per_sec = *settings.rate_per_sec * weights[i] / weight_sum;
    }
    const std::vector<double> by_connections = as_weights(parts);
    if (settings.stop_rule == StopRule::requests) {
        const auto requests = apportion(settings.total_requests, by_connections);
        for (std::size_t i = 0; i < parts.size(); ++i)
            parts[i].total_requests = requests[i];
    }
    if (settings.warmup.requests) {
        const auto warmup = apportion(*settings.warmup.requests, by_connections);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            parts[i].warmup.requests =
                warmup[i] > 0 ? std::optional<std::uint64_t>(warmup[i]) : std::nullopt;
        }
    }
    return parts;
}

}  // namespace benchctl
