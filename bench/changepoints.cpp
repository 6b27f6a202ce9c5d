// bench/changepoints: false alarms and detection delay of the nightly gate of `benchctl history
// check` (E-Divisive on the series of medians, history/regression_gate.hpp) against a single
// sample compared with the previous night under a fixed 5 % threshold (github-action-benchmark's
// alert), on synthetic nightly series. See bench/README.md for the figures and how to read them.
//
// Usage: k_usage below (bench_changepoints --help). No argument: the measurement of
// bench/README.md (1,000 series of 60 nights, 3 % noise, half with a 5 % regression at a random
// night).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "history/regression_gate.hpp"
#include "stats/energy_split.hpp"
#include "stats/portable_random.hpp"

namespace {

constexpr const char* k_usage = R"(usage: bench_changepoints [options]
  series:  --series N (1000)  --nights N (60, > 50)  --noise F (0.03)  --step F (0.05)
           --outliers F (0: share of disturbed nights)  --outlier-size F (0.2)  --seed N (1)
  gate:    --alpha F  --permutations N  --min-segment N  --recent N  --min-change F
           --confirmations N  --scale values|ranks   (defaults: history/regression_gate.hpp)
  also:    --threshold F (0.05: the single-sample method)  --sweep (a grid of gate settings)
)";

// Where the timing loops put their results, so that the compiler cannot drop them.
volatile std::size_t g_sink = 0;

using benchctl::BetterWhen;
using benchctl::GateOptions;
using benchctl::PortableRandom;

struct Settings {
    std::size_t series = 1000;
    std::size_t nights = 60;
    double noise = 0.03;  // relative standard deviation of one night's figure
    double step = 0.05;   // size of the regression (requests/sec fall by this fraction)
    // Share of nights disturbed (a noisy neighbour): their figure falls by `outlier_size` more.
    double outliers = 0;
    double outlier_size = 0.2;
    std::uint64_t seed = 1;
    // The gates run from this night on (0-based): a nightly job with some history already.
    std::size_t first_evaluated = 10;
    // A step starts at a night drawn uniformly from [step_from, step_to].
    std::size_t step_from = 10;
    std::size_t step_to = 49;
    double threshold = 0.05;  // the single-sample method's alert ratio
    GateOptions gate;
    bool sweep = false;
};

// One synthetic nightly series and where its step is (nights when there is none).
struct Series {
    std::vector<double> values;
    std::size_t step_night = 0;
    bool has_step = false;
};

Series make_series(const Settings& settings, std::size_t index) {
    PortableRandom random(settings.seed * 1000003 + index);
    Series series;
    series.has_step = index % 2 == 1;
    series.step_night =
        series.has_step
            ? settings.step_from + random.below(settings.step_to - settings.step_from + 1)
            : settings.nights;
    for (std::size_t night = 0; night < settings.nights; ++night) {
        const double level = night >= series.step_night ? 1 - settings.step : 1.0;
        const double noise = 1 + settings.noise * random.standard_normal();
        const double disturbed = random.unit() < settings.outliers ? 1 - settings.outlier_size : 1;
        series.values.push_back(10000 * level * noise * disturbed);
    }
    return series;
}

// What one method did on all series.
struct Tally {
    std::size_t quiet_series = 0;           // series without a step
    std::size_t quiet_series_alarmed = 0;   // ... with at least one alarm
    std::size_t nights_without_change = 0;  // evaluated nights before any step
    std::size_t false_alarms = 0;           // alarms on those nights
    std::size_t stepped_series = 0;
    std::size_t detected = 0;         // an alarm on or after the step night
    std::size_t located = 0;          // ... whose change point is within 1 of the step
    std::vector<std::size_t> delays;  // nights from the step to the first alarm after it
    double seconds = 0;               // CPU time of the whole evaluation
    std::size_t evaluations = 0;      // nights a method was asked about
};

// alarm(values up to and including night n) -> {alarmed, located change index or npos}
template <typename Alarm>
void evaluate(const Settings& settings, const Series& series, Alarm alarm, Tally& tally) {
    bool any_false = false;
    bool found = false;
    for (std::size_t night = settings.first_evaluated; night < settings.nights && !found; ++night) {
        const auto [alarmed, located] =
            alarm(std::span<const double>(series.values.data(), night + 1));
        ++tally.evaluations;
        if (night < series.step_night) {
            ++tally.nights_without_change;
            tally.false_alarms += alarmed ? 1 : 0;
            any_false = any_false || alarmed;
        } else if (alarmed) {
            found = true;
            ++tally.detected;
            tally.delays.push_back(night - series.step_night);
            const long off = static_cast<long>(located) - static_cast<long>(series.step_night);
            tally.located += located != static_cast<std::size_t>(-1) && std::labs(off) <= 1 ? 1 : 0;
        }
    }
    if (series.has_step) {
        ++tally.stepped_series;
    } else {
        ++tally.quiet_series;
        tally.quiet_series_alarmed += any_false ? 1 : 0;
    }
}

std::pair<bool, std::size_t> threshold_alarm(std::span<const double> values, double threshold) {
    const double newest = values[values.size() - 1];
    const double previous = values[values.size() - 2];
    const bool alarmed = newest < previous * (1 - threshold);
    return {alarmed, alarmed ? values.size() - 1 : static_cast<std::size_t>(-1)};
}

std::pair<bool, std::size_t> gate_alarm(std::span<const double> values, const GateOptions& gate) {
    const auto verdict = benchctl::check_newest_change(values, BetterWhen::higher, gate);
    return {verdict.regression,
            verdict.regression ? verdict.newest_change->index : static_cast<std::size_t>(-1)};
}

template <typename Alarm>
Tally run_method(const Settings& settings, const std::vector<Series>& all, Alarm alarm) {
    Tally tally;
    const auto start = std::chrono::steady_clock::now();
    for (const Series& series : all)
        evaluate(settings, series, alarm, tally);
    tally.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return tally;
}

double percentile(std::vector<std::size_t> values, double fraction) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank =
        static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
    return static_cast<double>(values[rank]);
}

double mean(const std::vector<std::size_t>& values) {
    double sum = 0;
    for (const std::size_t value : values)
        sum += static_cast<double>(value);
    return values.empty() ? 0 : sum / static_cast<double>(values.size());
}

std::size_t within(const std::vector<std::size_t>& delays, std::size_t nights) {
    return static_cast<std::size_t>(
        std::count_if(delays.begin(), delays.end(), [&](std::size_t d) { return d <= nights; }));
}

void print_header() {
    std::printf(
        "| method | quiet series with a false alarm | false alarms / 1000 nights | "
        "detected same night | within 3 | within 7 | within 10 | delay median | "
        "mean | p90 | located +-1 | alarms that were true | CPU time | per night |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
}

void print_row(const std::string& name, const Tally& t) {
    const auto pct = [](std::size_t part, std::size_t whole) {
        return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
    };
    std::printf(
        "| %s | %.1f %% | %.1f | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.0f | %.2f | %.0f | "
        "%.1f %% | %.1f %% | %.2f s | %.1f us |\n",
        name.c_str(), pct(t.quiet_series_alarmed, t.quiet_series),
        1000.0 * static_cast<double>(t.false_alarms) /
            static_cast<double>(std::max<std::size_t>(t.nights_without_change, 1)),
        pct(within(t.delays, 0), t.stepped_series), pct(within(t.delays, 3), t.stepped_series),
        pct(within(t.delays, 7), t.stepped_series), pct(within(t.delays, 10), t.stepped_series),
        percentile(t.delays, 0.5), mean(t.delays), percentile(t.delays, 0.9),
        pct(t.located, t.detected), pct(t.detected, t.detected + t.false_alarms), t.seconds,
        1e6 * t.seconds / static_cast<double>(std::max<std::size_t>(t.evaluations, 1)));
    std::fflush(stdout);
}

std::string gate_name(const GateOptions& gate) {
    char text[200];
    std::snprintf(text, sizeof text,
                  "E-Divisive gate (%s, alpha %.3g, R %zu, min segment %zu, recent %zu, min "
                  "change %.3g, confirmations %zu)",
                  gate.detection.scale == benchctl::ChangePointScale::ranks ? "ranks" : "values",
                  gate.detection.alpha, gate.detection.permutations, gate.detection.min_segment,
                  gate.recent_points, gate.min_relative_change, gate.confirmations);
    return text;
}

// The energy statistic's best cut from the pairwise distances as MongoDB's C extension computes
// it (signal-processing-algorithms, e_divisive.c): O(m^2) per scan, for the timing comparison.
std::size_t distance_matrix_best_cut(const std::vector<double>& z, std::size_t min_segment) {
    const std::size_t m = z.size();
    double within_after = 0, within_before = 0, between = 0;
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j)
            within_after += std::fabs(z[i] - z[j]);
    std::size_t best = 0;
    double best_q = -1e300;
    for (std::size_t tau = 1; tau < m; ++tau) {
        double to_before = 0, to_after = 0;  // distances from z[tau - 1] to either side
        for (std::size_t i = 0; i + 1 < tau; ++i)
            to_before += std::fabs(z[i] - z[tau - 1]);
        for (std::size_t j = tau; j < m; ++j)
            to_after += std::fabs(z[j] - z[tau - 1]);
        within_before += to_before;
        within_after -= to_after;
        between += to_after - to_before;
        const double n = static_cast<double>(tau), k = static_cast<double>(m - tau);
        const double x = n > 1 ? within_before / (n * (n - 1) / 2) : 0;
        const double y = k > 1 ? within_after / (k * (k - 1) / 2) : 0;
        const double q = n * k / (n + k) * (2 * between / (n * k) - x - y);
        if (tau >= min_segment && tau + min_segment <= m && q > best_q) {
            best_q = q;
            best = tau;
        }
    }
    return best;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Time of one scan of m points (the inner loop of every permutation), both ways, and of one
// whole detection on a series of m nights with a 5 % step in the middle.
void print_timings() {
    std::printf(
        "\n| nights | energy scan, Fenwick | energy scan, all pairs O(m^2) | one detection "
        "(median of 20) |\n|---:|---:|---:|---:|\n");
    for (const std::size_t m : {60, 120, 365}) {
        PortableRandom random(m);
        std::vector<double> z;
        for (std::size_t i = 0; i < m; ++i)
            z.push_back((i >= m / 2 ? 9500 : 10000) * (1 + 0.03 * random.standard_normal()));
        const auto ranks = benchctl::ascending_ranks(z);
        benchctl::EnergySplitScan scan;
        // The fastest of 5 batches of 1,000 scans: what the code costs when nothing interferes.
        double fenwick = 1e300, all_pairs = 1e300;
        std::size_t checksum = 0;
        for (int batch = 0; batch < 5; ++batch) {
            auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < 1000; ++i) {
                scan.scan(z, ranks);
                checksum += scan.best(3).index;
            }
            fenwick = std::min(fenwick, seconds_since(start) / 1000);
            start = std::chrono::steady_clock::now();
            for (int i = 0; i < 1000; ++i)
                checksum -= distance_matrix_best_cut(z, 3);
            all_pairs = std::min(all_pairs, seconds_since(start) / 1000);
        }
        std::vector<double> detections;
        for (int i = 0; i < 20; ++i) {
            const auto start = std::chrono::steady_clock::now();
            checksum += benchctl::detect_change_points(z).size();
            detections.push_back(seconds_since(start));
        }
        std::sort(detections.begin(), detections.end());
        std::printf("| %zu | %.1f us | %.1f us | %.2f ms |\n", m, fenwick * 1e6, all_pairs * 1e6,
                    detections[10] * 1e3);
        g_sink = checksum;
    }
}

bool parse(int argc, char** argv, Settings& s) {
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--sweep") {
            s.sweep = true;
            continue;
        }
        if (i + 1 >= argc)
            return false;
        const char* value = argv[++i];
        if (flag == "--series")
            s.series = std::strtoull(value, nullptr, 10);
        else if (flag == "--nights")
            s.nights = std::strtoull(value, nullptr, 10);
        else if (flag == "--noise")
            s.noise = std::strtod(value, nullptr);
        else if (flag == "--outliers")
            s.outliers = std::strtod(value, nullptr);
        else if (flag == "--outlier-size")
            s.outlier_size = std::strtod(value, nullptr);
        else if (flag == "--step")
            s.step = std::strtod(value, nullptr);
        else if (flag == "--seed")
            s.seed = std::strtoull(value, nullptr, 10);
        else if (flag == "--alpha")
            s.gate.detection.alpha = std::strtod(value, nullptr);
        else if (flag == "--permutations")
            s.gate.detection.permutations = std::strtoull(value, nullptr, 10);
        else if (flag == "--min-segment")
            s.gate.detection.min_segment = std::strtoull(value, nullptr, 10);
        else if (flag == "--recent")
            s.gate.recent_points = std::strtoull(value, nullptr, 10);
        else if (flag == "--min-change")
            s.gate.min_relative_change = std::strtod(value, nullptr);
        else if (flag == "--scale" && std::string(value) == "values")
            s.gate.detection.scale = benchctl::ChangePointScale::values;
        else if (flag == "--scale" && std::string(value) == "ranks")
            s.gate.detection.scale = benchctl::ChangePointScale::ranks;
        else if (flag == "--confirmations")
            s.gate.confirmations = std::strtoull(value, nullptr, 10);
        else if (flag == "--threshold")
            s.threshold = std::strtod(value, nullptr);
        else
            return false;
    }
    return s.nights > s.step_to + 1 && s.series > 0;
}

}  // namespace

int main(int argc, char** argv) {
    Settings settings;
    if (argc == 2 && std::string(argv[1]) == "--help") {
        std::fputs(k_usage, stdout);
        return 0;
    }
    if (!parse(argc, argv, settings)) {
        std::fputs(k_usage, stderr);
        return 2;
    }
    std::vector<Series> all;
    for (std::size_t i = 0; i < settings.series; ++i)
        all.push_back(make_series(settings, i));
    std::printf(
        "%zu series of %zu nights, noise %.3g, half with a %.3g regression at a night in "
        "[%zu, %zu]; %.3g of nights disturbed by %.3g; gates evaluated from night %zu on, "
        "seed %llu\n\n",
        settings.series, settings.nights, settings.noise, settings.step, settings.step_from,
        settings.step_to, settings.outliers, settings.outlier_size, settings.first_evaluated,
        static_cast<unsigned long long>(settings.seed));
    print_header();
    // The reference (5 %), and wider thresholds to see what a threshold must give up in detection
    // to come down to the gate's false alarms.
    for (const double threshold : {settings.threshold, 2 * settings.threshold}) {
        char name[64];
        std::snprintf(name, sizeof name, "single sample, %.3g below the previous night", threshold);
        print_row(name, run_method(settings, all, [&](std::span<const double> v) {
                      return threshold_alarm(v, threshold);
                  }));
    }
    std::vector<GateOptions> gates = {settings.gate};
    if (settings.sweep) {
        gates.clear();
        for (double alpha : {0.05, 0.02, 0.01})
            for (std::size_t recent : {7, 10, 14}) {
                GateOptions gate = settings.gate;
                gate.detection.alpha = alpha;
                gate.recent_points = recent;
                gates.push_back(gate);
            }
        for (std::size_t min_segment : {2, 4}) {
            GateOptions gate = settings.gate;
            gate.detection.min_segment = min_segment;
            gates.push_back(gate);
        }
        GateOptions confirmed = settings.gate;
        confirmed.confirmations = 2;
        gates.push_back(confirmed);
    }
    for (const GateOptions& gate : gates)
        print_row(gate_name(gate), run_method(settings, all, [&](std::span<const double> v) {
                      return gate_alarm(v, gate);
                  }));
    print_timings();
    return 0;
}
