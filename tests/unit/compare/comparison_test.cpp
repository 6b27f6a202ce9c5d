#include "compare/comparison.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compare/compare_report.hpp"
#include "util/error.hpp"

using namespace benchctl;
using Catch::Matchers::Contains;

namespace {

const MachineFingerprint k_machine{"AMD EPYC 7763", 2, "Linux 6.1.0 x86_64", "0.1.0"};

CellSamples cell(const std::string& id, std::vector<double> rate, std::vector<double> p99 = {},
                 std::size_t failed = 0) {
    CellSamples samples{id, rate.size() + failed, rate.size(), failed, {}};
    if (!rate.empty())
        samples.samples[Metric::requests_per_sec] = std::move(rate);
    if (!p99.empty())
        samples.samples[Metric::latency_p99_ms] = std::move(p99);
    return samples;
}

SampleSet side(const std::string& run_id, std::vector<CellSamples> cells) {
    return {SampleSource::run, "results/" + run_id, run_id, {}, k_machine, std::move(cells)};
}

CompareOptions rate_and_p99() {
    CompareOptions options;
    options.metrics = {Metric::requests_per_sec, Metric::latency_p99_ms};
    return options;
}

const MetricComparison& only_metric(const Comparison& comparison) {
    REQUIRE(comparison.cells.size() == 1);
    REQUIRE_FALSE(comparison.cells[0].metrics.empty());
    return comparison.cells[0].metrics[0];
}

Comparison rate_only(std::vector<double> base, std::vector<double> next) {
    CompareOptions options;
    options.metrics = {Metric::requests_per_sec};
    return compare_samples(side("base", {cell("a", std::move(base))}),
                           side("new", {cell("a", std::move(next))}), options);
}

}  // namespace

TEST_CASE("a drop beyond the threshold with a significant U test is slower, naming the cell") {
    const Comparison c = compare_samples(
        side("base", {cell("a", {100, 101, 102, 103, 104}, {10, 10.2, 10.1, 10.3, 10.4}),
                      cell("b", {200, 201, 202, 203, 204}, {5, 5.1, 5.2, 5.3, 5.4})}),
        side("new", {cell("a", {80, 81, 82, 83, 84}, {12, 12.2, 12.1, 12.3, 12.4}),
                     cell("b", {201, 202, 200, 204, 203}, {5.1, 5, 5.3, 5.2, 5.4})}),
        rate_and_p99());
    REQUIRE(c.cells.size() == 2);
    const MetricComparison& rate = c.cells[0].metrics[0];
    CHECK(rate.verdict == Verdict::slower);
    CHECK_FALSE(rate.weak);
    CHECK(*rate.ratio == Approx(82.0 / 102.0));
    CHECK(*rate.change == Approx(82.0 / 102.0 - 1));
    REQUIRE(rate.test);
    CHECK(rate.test->method == MannWhitneyMethod::exact);
    CHECK(rate.test->p_value == Approx(2.0 / 252.0));         // 5 vs 5, completely separated
    CHECK(c.cells[0].metrics[1].verdict == Verdict::slower);  // p99 up: worse for a latency
    CHECK(c.cells[0].verdict == Verdict::slower);
    CHECK(c.cells[1].verdict == Verdict::unchanged);
    CHECK(c.regression());
    CHECK(c.count(Verdict::slower) == 1);
}

TEST_CASE("a significant change within the threshold is unchanged, not slower") {
    const Comparison c = rate_only({100, 100.1, 100.2, 100.3, 100.4}, {97, 97.1, 97.2, 97.3, 97.4});
    CHECK(only_metric(c).test->p_value < 0.01);
    CHECK(only_metric(c).verdict == Verdict::unchanged);
    CHECK_FALSE(c.regression());
}

TEST_CASE("a change beyond the threshold that the U test cannot confirm is noisy") {
    const Comparison c = rate_only({100, 60, 140, 90, 110}, {80, 130, 50, 95, 70});
    const MetricComparison& m = only_metric(c);
    CHECK(*m.change == Approx(-0.2));
    CHECK(m.test->p_value > 0.01);
    CHECK(m.verdict == Verdict::noisy);
    CHECK_THAT(m.reason, Contains("is not below alpha 0.01"));
    CHECK_FALSE(c.regression());
}

TEST_CASE("lower latency and higher throughput are faster") {
    const Comparison c = compare_samples(
        side("base", {cell("a", {100, 101, 102, 103, 104}, {10, 10.2, 10.1, 10.3, 10.4})}),
        side("new", {cell("a", {120, 121, 122, 123, 124}, {8, 8.2, 8.1, 8.3, 8.4})}),
        rate_and_p99());
    CHECK(c.cells[0].metrics[0].verdict == Verdict::faster);
    CHECK(c.cells[0].metrics[1].verdict == Verdict::faster);
    CHECK(c.cells[0].verdict == Verdict::faster);
    CHECK_FALSE(c.regression());
}

TEST_CASE("with fewer than five repetitions the threshold alone judges and the verdict is weak") {
    const Comparison separated = rate_only({100, 101, 102}, {80, 81, 82});
    CHECK(only_metric(separated).weak);
    CHECK_FALSE(only_metric(separated).test);
    CHECK(only_metric(separated).verdict == Verdict::slower);
    CHECK(separated.regression());
    const Comparison overlapping = rate_only({100, 60, 140}, {80, 130, 50});
    CHECK(only_metric(overlapping).verdict == Verdict::noisy);
    CHECK(only_metric(overlapping).weak);
    const Comparison single = rate_only({100}, {94});
    CHECK(only_metric(single).verdict == Verdict::slower);
    const Comparison close = rate_only({100}, {96});
    CHECK(only_metric(close).verdict == Verdict::unchanged);
}

TEST_CASE("a cell that failed in NEW is failed and a regression; one missing in BASE is not") {
    CompareOptions options;
    options.metrics = {Metric::requests_per_sec};
    const Comparison failed_new =
        compare_samples(side("base", {cell("a", {100, 101, 102, 103, 104})}),
                        side("new", {cell("a", {100, 101, 102, 103}, {}, 1)}), options);
    CHECK(only_metric(failed_new).verdict == Verdict::failed);
    CHECK(only_metric(failed_new).reason == "1 of 5 repetitions failed in NEW");
    CHECK(failed_new.regression());
    const Comparison unmeasured_base =
        compare_samples(side("base", {cell("a", {})}), side("new", {cell("a", {100})}), options);
    CHECK(only_metric(unmeasured_base).verdict == Verdict::failed);
    CHECK(only_metric(unmeasured_base).reason == "not measured in BASE");
    CHECK_FALSE(unmeasured_base.regression());
}

TEST_CASE("cells on one side only are listed, and different machines are named") {
    SampleSet base = side("base", {cell("a", {100}), cell("gone", {1})});
    SampleSet next = side("new", {cell("a", {100}), cell("added", {1})});
    next.machine.cores = 4;
    next.machine.benchctl_version = "0.2.0";
    const Comparison c = compare_samples(base, next, {});
    CHECK(c.only_base == std::vector<std::string>{"gone"});
    CHECK(c.only_new == std::vector<std::string>{"added"});
    CHECK(c.machine_differences ==
          std::vector<std::string>{"cores: '2' (BASE) vs '4' (NEW)",
                                   "benchctl_version: '0.1.0' (BASE) vs '0.2.0' (NEW)"});
    CHECK_THAT(render_compare_text(c, base, next, Colour::no),
               Contains("warning: the machines differ, cores: '2' (BASE) vs '4' (NEW)\n"));
    CHECK_THAT(render_compare_markdown(c, base, next),
               Contains("> **Warning:** the machines differ, cores: '2' (BASE) vs '4' (NEW)"));
    CHECK(compare_json(c, base, next)["machine_differences"].size() == 2);
}

TEST_CASE("a count that leaves zero is compared without a ratio") {
    CompareOptions options;
    options.metrics = {Metric::requests_failed};
    CellSamples base{"a", 5, 5, 0, {{Metric::requests_failed, {0, 0, 0, 0, 0}}}};
    CellSamples same{"a", 5, 5, 0, {{Metric::requests_failed, {0, 0, 0, 0, 0}}}};
    CellSamples worse{"a", 5, 5, 0, {{Metric::requests_failed, {3, 4, 2, 5, 3}}}};
    const Comparison unchanged = compare_samples(side("b", {base}), side("n", {same}), options);
    CHECK(only_metric(unchanged).verdict == Verdict::unchanged);
    CHECK(*only_metric(unchanged).ratio == 1);
    const Comparison slower = compare_samples(side("b", {base}), side("n", {worse}), options);
    CHECK_FALSE(only_metric(slower).ratio);
    CHECK(only_metric(slower).verdict == Verdict::slower);
    CHECK(only_metric(slower).test->method == MannWhitneyMethod::exact);  // given the ties
    CHECK(only_metric(slower).test->p_value == Approx(2.0 / 252));
}

TEST_CASE(
    "option --metric takes names and short names, and refuses unknown or directionless ones") {
    CHECK(parse_metric_list("requests_per_sec,p99") ==
          std::vector<Metric>{Metric::requests_per_sec, Metric::latency_p99_ms});
    CHECK(parse_metric_list("p99,latency_p99_ms") == std::vector<Metric>{Metric::latency_p99_ms});
    CHECK_THROWS_WITH(parse_metric_list("requests_per_sec,p999"), "unknown metric 'p999'");
    try {
        parse_metric_list("duration_sec");
        FAIL("accepted a metric without a direction");
    } catch (const UserError& error) {
        CHECK(error.message() ==
              "metric 'duration_sec' is neither better higher nor lower, --metric; compare a "
              "rate, a latency, CPU, memory or failures, e.g. requests_per_sec,p99");
    }
}

TEST_CASE("the text table is aligned, names both sides and says why a verdict is weak") {
    const SampleSet base = side("base", {cell("a.sync", {100, 101, 102})});
    const SampleSet next = side("new", {cell("a.sync", {80, 81, 82})});
    CompareOptions options;
    options.metrics = {Metric::requests_per_sec};
    const Comparison c = compare_samples(base, next, options);
    CHECK(render_compare_text(c, base, next, Colour::no) ==
          "BASE: results/base (run base)\n"
          "NEW:  results/new (run new)\n"
          "\n"
          "cell    figure          BASE    NEW  change  p-value  verdict\n"
          "a.sync  requests/sec  101.00  81.00  -19.8%        —  slower (weak)\n"
          "\n"
          "1 cell compared: 1 slower (a.sync)\n"
          "(weak): fewer than 5 repetitions on a side, so no U test; the threshold alone judged. "
          "Repeat cells 5 times or more for a significance test.\n"
          "Slower or faster needs a change beyond 5% and a Mann-Whitney U p-value below 0.01; "
          "figures: requests_per_sec.\n");
    CHECK_THAT(render_compare_text(c, base, next, Colour::yes),
               Contains("\x1b[31mslower (weak)\x1b[0m"));
    CHECK_THAT(render_compare_markdown(c, base, next),
               Contains("| a.sync | requests/sec | 101.00 | 81.00 | -19.8% | — | **slower "
                        "(weak)** |\n"));
}

TEST_CASE("the JSON document is versioned and holds samples, test and verdict per figure") {
    const SampleSet base = side("base", {cell("a", {100, 101, 102, 103, 104})});
    const SampleSet next = side("new", {cell("a", {80, 81, 82, 83, 84})});
    CompareOptions options;
    options.metrics = {Metric::requests_per_sec};
    const nlohmann::json doc = compare_json(compare_samples(base, next, options), base, next);
    CHECK(doc["schema"] == "benchctl.compare/1");
    CHECK(doc["regression"] == true);
    CHECK(doc["counts"]["slower"] == 1);
    CHECK(doc["options"]["metrics"] == nlohmann::json({"requests_per_sec"}));
    const nlohmann::json& m = doc["cells"][0]["metrics"][0];
    CHECK(m["metric"] == "requests_per_sec");
    CHECK(m["better"] == "higher");
    CHECK(m["base"]["samples"].size() == 5);
    CHECK(m["new"]["median"] == 82.0);
    CHECK(m["u_test"]["method"] == "exact");
    CHECK(m["u_test"]["p_value"].get<double>() == Approx(2.0 / 252.0));
    CHECK(m["change_pct"].get<double>() == Approx((82.0 / 102.0 - 1) * 100));
    CHECK(m["verdict"] == "slower");
    CHECK(m["reason"].is_null());
}
