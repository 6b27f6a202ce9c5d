#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "load/load_result.hpp"

namespace benchctl {

// One latency figure, kept in the unit it was obtained in so that neither kind is rounded
// through the other's: microseconds for a measured run (exact, from the histogram), milliseconds
// for figures another tool printed (as printed). Either unit reads back unchanged.
class LatencyFigure {
  public:
    static LatencyFigure from_us(double microseconds) { return {microseconds, false}; }
    static LatencyFigure from_ms(double milliseconds) { return {milliseconds, true}; }
    double us() const { return m_in_ms ? m_value * 1000.0 : m_value; }
    double ms() const { return m_in_ms ? m_value : m_value / 1000.0; }
    double seconds() const { return m_in_ms ? m_value / 1000.0 : m_value / 1e6; }

  private:
    LatencyFigure(double value, bool in_ms) : m_value(value), m_in_ms(in_ms) {}
    double m_value;
    bool m_in_ms;
};

// The latency figures of one run. `count` is how many latencies they summarise (0: none
// completed, or none of the figures is known); a figure is absent when its source did not print
// it. A measured run has every figure (zeros when nothing completed, as wrk prints them).
struct LatencySummary {
    std::uint64_t count = 0;
    std::optional<LatencyFigure> min, mean, stddev, max, p50, p75, p90, p95, p99, p999;
    std::optional<double> within_stddev_pct;
};

// Where recorded figures come from: the other tool's format ("wrk-text", "siege",
// "gunicorn-bench"; docs/import.md), its file as given, and the 1-based line they start at.
struct SummarySource {
    std::string format;
    std::string file;
    std::uint64_t line = 0;
};

// The summary figures of one load run, the one thing reports read them from: computed from the
// counts and histograms of a run benchctl measured (summarize), or the figures another tool
// printed, recorded by `benchctl import` and read back from the document (docs/load-json.md), so
// a recorded run renders back to the numbers it came from. Either kind has the same fields; what
// is not known is absent.
struct LoadSummary {
    double requests_per_sec = 0;
    double bytes_read_per_sec = 0;
    std::uint64_t non_2xx_3xx = 0;
    LatencySummary latency;
    std::optional<SampleSummary> thread_requests_per_sec;  // wrk's Req/Sec row, when known
    // Recorded figures only: where they come from, and the tool's own figures that have no field
    // above, verbatim (siege's availability_pct, concurrency, successful and failed;
    // gunicorn-bench's config and errors).
    std::optional<SummarySource> source;
    nlohmann::json source_figures = nlohmann::json::object();

    // Whether the result's counts beyond these figures (requests started and in flight, errors by
    // kind, status codes one by one, warm-up) are benchctl's exact accounting. A tool that only
    // printed a summary counted less: reports then show only what it printed.
    bool exact_accounting() const { return !source.has_value(); }
    // The number `key` of source_figures as T, when the source printed it.
    template <typename T = double>
    std::optional<T> source_figure(const char* key) const {
        const auto found = source_figures.find(key);
        if (found == source_figures.end() || !found->is_number())
            return std::nullopt;
        return found->get<T>();
    }
};

// The summary of a measured run: rates over the measured duration, non-2xx/3xx from the status
// codes, every latency figure from the histogram, the Req/Sec row.
LoadSummary summarize(const LoadResult& result);

// A sentence naming a recorded summary's source, for people: "Imported from f.txt:12 (wrk-text)."
std::string source_note(const SummarySource& source);

}  // namespace benchctl
