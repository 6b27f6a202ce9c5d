#include "compare/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "stats/repetition_summary.hpp"
#include "util/error.hpp"
#include "util/name_suggestion.hpp"

namespace benchctl {

namespace {

// Higher is worse for the verdict order: a cell shows its worst figure's verdict.
int severity(Verdict verdict) {
    switch (verdict) {
        case Verdict::unchanged:
            return 0;
        case Verdict::faster:
            return 1;
        case Verdict::noisy:
            return 2;
        case Verdict::slower:
            return 3;
        case Verdict::failed:
            return 4;
    }
    return 0;
}

std::optional<double> median_or_none(const std::vector<double>& values) {
    return values.empty() ? std::nullopt : std::optional<double>(median_of(values));
}

void set_change(MetricComparison& c) {
    const double base = *c.base_median;
    const double next = *c.new_median;
    if (base != 0) {
        c.ratio = next / base;
        c.change = next / base - 1;
    } else if (next == 0) {
        c.ratio = 1;
        c.change = 0;
    } else {
        c.change = next > 0 ? std::numeric_limits<double>::infinity()
                            : -std::numeric_limits<double>::infinity();
    }
}

// faster or slower, by the figure's direction and the sign of the change.
Verdict direction_verdict(Metric metric, double change) {
    const bool higher_is_better = describe(metric).better == Better::higher;
    return (change > 0) == higher_is_better ? Verdict::faster : Verdict::slower;
}

bool ranges_overlap(const std::vector<double>& a, const std::vector<double>& b) {
    const auto [a_min, a_max] = std::minmax_element(a.begin(), a.end());
    const auto [b_min, b_max] = std::minmax_element(b.begin(), b.end());
    return *a_min <= *b_max && *b_min <= *a_max;
}

void judge(MetricComparison& c, const CompareOptions& options) {
    set_change(c);
    const double change = *c.change;
    const std::size_t fewest = std::min(c.base_samples.size(), c.new_samples.size());
    if (fewest >= options.min_repetitions) {
        c.test = mann_whitney_u(c.base_samples, c.new_samples);
    } else {
        c.weak = true;
    }
    if (std::abs(change) <= options.threshold) {
        c.verdict = Verdict::unchanged;
    } else if (c.test) {
        c.verdict =
            c.test->p_value < options.alpha ? direction_verdict(c.metric, change) : Verdict::noisy;
        if (c.verdict == Verdict::noisy) {
            c.reason = fmt::format("the U test's p-value {:.3g} is not below alpha {}",
                                   c.test->p_value, options.alpha);
        }
    } else if (fewest >= 2 && ranges_overlap(c.base_samples, c.new_samples)) {
        c.verdict = Verdict::noisy;
        c.reason = "the repetitions' ranges overlap";
    } else {
        c.verdict = direction_verdict(c.metric, change);
    }
}

MetricComparison compare_metric(Metric metric, const CellSamples& base, const CellSamples& next,
                                const CompareOptions& options) {
    MetricComparison c;
    c.metric = metric;
    c.base_samples = base.of(metric);
    c.new_samples = next.of(metric);
    c.base_median = median_or_none(c.base_samples);
    c.new_median = median_or_none(c.new_samples);
    if (next.failed > 0) {
        c.verdict = Verdict::failed;
        c.new_failed = true;
        c.reason = fmt::format("{} of {} repetitions failed in NEW", next.failed, next.planned);
    } else if (c.new_samples.empty() || c.base_samples.empty()) {
        c.verdict = Verdict::failed;
        c.new_failed = c.new_samples.empty();
        c.reason = fmt::format("not measured in {}", c.new_samples.empty() ? "NEW" : "BASE");
    } else {
        judge(c, options);
    }
    return c;
}

std::vector<std::string> machine_differences(const MachineFingerprint& base,
                                             const MachineFingerprint& next) {
    std::vector<std::string> lines;
    for (const std::string& field : fingerprint_differences(base, next)) {
        std::string a, b;
        if (field == "cpu_model") {
            a = base.cpu_model;
            b = next.cpu_model;
        } else if (field == "cores") {
            a = std::to_string(base.cores);
            b = std::to_string(next.cores);
        } else if (field == "kernel") {
            a = base.kernel;
            b = next.kernel;
        } else {
            a = base.benchctl_version;
            b = next.benchctl_version;
        }
        lines.push_back(fmt::format("{}: '{}' (BASE) vs '{}' (NEW)", field, a, b));
    }
    return lines;
}

}  // namespace

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::unchanged:
            return "unchanged";
        case Verdict::faster:
            return "faster";
        case Verdict::slower:
            return "slower";
        case Verdict::noisy:
            return "noisy";
        case Verdict::failed:
            return "failed";
    }
    return "unchanged";
}

bool Comparison::regression() const {
    for (const CellComparison& cell : cells) {
        for (const MetricComparison& metric : cell.metrics) {
            if (metric.verdict == Verdict::slower ||
                (metric.verdict == Verdict::failed && metric.new_failed)) {
                return true;
            }
        }
    }
    return false;
}

std::size_t Comparison::count(Verdict verdict) const {
    return static_cast<std::size_t>(std::count_if(
        cells.begin(), cells.end(), [&](const CellComparison& c) { return c.verdict == verdict; }));
}

Comparison compare_samples(const SampleSet& base, const SampleSet& next,
                           const CompareOptions& options) {
    Comparison comparison;
    comparison.options = options;
    comparison.machine_differences = machine_differences(base.machine, next.machine);
    for (const CellSamples& cell : next.cells) {
        const CellSamples* before = base.find(cell.cell_id);
        if (before == nullptr) {
            comparison.only_new.push_back(cell.cell_id);
            continue;
        }
        CellComparison compared{cell.cell_id, {}, Verdict::unchanged};
        for (const Metric metric : options.metrics) {
            compared.metrics.push_back(compare_metric(metric, *before, cell, options));
            if (severity(compared.metrics.back().verdict) > severity(compared.verdict))
                compared.verdict = compared.metrics.back().verdict;
        }
        comparison.cells.push_back(std::move(compared));
    }
    for (const CellSamples& cell : base.cells) {
        if (next.find(cell.cell_id) == nullptr)
            comparison.only_base.push_back(cell.cell_id);
    }
    return comparison;
}

std::vector<Metric> parse_metric_list(const std::string& text) {
    std::vector<Metric> metrics;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const std::size_t comma = std::min(text.find(',', begin), text.size());
        const std::string name = text.substr(begin, comma - begin);
        const std::optional<Metric> metric = find_metric(name);
        if (!metric) {
            throw UserError(fmt::format("unknown metric '{}'", name), "--metric",
                            unknown_name_hint(name, metric_names(), "metrics"));
        }
        if (describe(*metric).better == Better::neither) {
            throw UserError(fmt::format("metric '{}' is neither better higher nor lower", name),
                            "--metric",
                            "compare a rate, a latency, CPU, memory or failures, e.g. "
                            "requests_per_sec,p99");
        }
        if (std::find(metrics.begin(), metrics.end(), *metric) == metrics.end())
            metrics.push_back(*metric);
        begin = comma + 1;
    }
    return metrics;
}

}  // namespace benchctl
