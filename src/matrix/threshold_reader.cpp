#include "matrix/threshold_reader.hpp"

#include <fmt/format.h>

#include <map>

#include "matrix/problem_list.hpp"
#include "matrix/schema_check.hpp"
#include "util/error.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

// The expressions of one key: a string, or a list of strings (k6 writes arrays).
std::vector<const DocNode*> expressions_of(const DocNode& value) {
    std::vector<const DocNode*> expressions;
    if (value.is_scalar())
        expressions.push_back(&value);
    for (const DocNode& item : value.items)
        expressions.push_back(&item);
    return expressions;
}

void check_expressions(const DocEntry& entry, Metric metric, ProblemList& problems) {
    const DocNode& value = entry.value;
    if (!value.is_scalar() && !value.is_list()) {
        problems.add(value.where,
                     fmt::format("threshold {} expects a condition such as \">= 1000\", got {}",
                                 entry.key, kind_name(value.kind)),
                     "write a string, or a list of strings for several bounds");
        return;
    }
    for (const DocNode* expression : expressions_of(value)) {
        if (!expression->is_scalar()) {
            problems.add(expression->where,
                         fmt::format("threshold {} lists {}, not a condition", entry.key,
                                     kind_name(expression->kind)),
                         "write each condition as a string like \"< 250ms\"");
            continue;
        }
        try {
            parse_threshold(entry.key, metric, expression->scalar);
        } catch (const UserError& error) {
            problems.add(expression->where, error.what(), error.hint());
        }
    }
}

}  // namespace

void check_thresholds(const DocNode& thresholds, ProblemList& problems) {
    if (thresholds.kind == DocNode::Kind::null)
        return;
    if (!thresholds.is_map()) {
        problems.add(thresholds.where,
                     fmt::format("thresholds expects a map of metrics to conditions, got {}",
                                 kind_name(thresholds.kind)),
                     "write thresholds: {p99: \"< 250ms\", failures: \"== 0\"}");
        return;
    }
    check_duplicate_keys(thresholds, problems);
    std::map<Metric, const DocEntry*> seen;
    for (const DocEntry& entry : thresholds.entries) {
        const std::optional<Metric> metric = find_metric(entry.key);
        if (!metric) {
            problems.add(entry.key_where,
                         fmt::format("unknown metric '{}' in thresholds", entry.key),
                         unknown_name_hint(entry.key, metric_names(), "metrics"));
            continue;
        }
        auto [first, inserted] = seen.emplace(*metric, &entry);
        if (!inserted && first->second->key != entry.key) {
            problems.add(
                entry.key_where,
                fmt::format("'{}' and '{}' name the same metric", first->second->key, entry.key),
                "keep one of them; list several conditions as [\"> 1ms\", \"< 250ms\"]");
        }
        if (entry.value.kind != DocNode::Kind::null)
            check_expressions(entry, *metric, problems);
    }
}

std::vector<Threshold> read_thresholds(const DocNode& thresholds) {
    std::vector<Threshold> result;
    for (const DocEntry& entry : thresholds.entries) {
        const std::optional<Metric> metric = find_metric(entry.key);
        if (!metric)
            continue;
        for (const DocNode* expression : expressions_of(entry.value)) {
            try {
                result.push_back(parse_threshold(entry.key, *metric, expression->scalar));
            } catch (const UserError&) {
                // Reported by check_thresholds where the map was written.
            }
        }
    }
    return result;
}

}  // namespace benchctl
