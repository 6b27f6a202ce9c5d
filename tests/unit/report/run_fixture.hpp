#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "load/load_result.hpp"
#include "load/load_settings.hpp"
#include "results/cell_record.hpp"
#include "results/run_manifest.hpp"
#include "scratch_dir.hpp"

namespace benchctl::test {

// A run directory built in a fresh temporary directory from real values, written with the real
// to_json functions (benchctl.run/1, benchctl.cell/1, benchctl.load/1), so report tests read
// exactly what `benchctl run` writes. Removed with its contents on destruction.
class RunFixture {
  public:
    RunFixture();
    RunFixture(const RunFixture&) = delete;
    RunFixture& operator=(const RunFixture&) = delete;

    const std::string& path() const { return m_dir.path(); }

    // The manifest written by write_manifest(); add_cell() appends its entries.
    RunManifest manifest;

    // Writes cells/<file> for `record`, its load document built from `load` when given, and
    // adds the manifest entry (status and reason from the record).
    void add_cell(CellRecord record,
                  const std::optional<std::pair<LoadSettings, LoadResult>>& load);
    // Adds a manifest entry only: a cell the run never reached.
    void add_pending(const std::string& cell_id, unsigned repetition = 1);
    void write_manifest() const;
    // Writes `text` to `relative` inside the run directory (for damaged-file tests).
    void write_raw(const std::string& relative, const std::string& text) const;

  private:
    testing::ScratchDir m_dir{"report"};
};

// Settings of a closed-loop duration run against `url`.
LoadSettings duration_settings(const std::string& url, unsigned threads, unsigned connections,
                               int seconds);

// A result whose latency histogram holds `count` observations of each value (microseconds);
// completed is the histogram's count, every response 200 unless statuses are set afterwards.
LoadResult result_with(std::initializer_list<std::pair<std::uint64_t, std::uint64_t>> latencies,
                       double duration_sec, std::uint64_t bytes_read);

// An axis value; label defaults to name.
AxisValue axis_value(const std::string& axis, const std::string& name, const std::string& label);

// A done cell record for these values (id = names joined by '.'), with sampled resources.
CellRecord done_record(const std::vector<AxisValue>& values, double cpu_seconds,
                       std::uint64_t peak_rss_bytes);

// The 3-axis run of the golden test, after source document 000: server (WSGI Gunicorn Gevent,
// ASGI Gunicorn Uvicorn) x endpoint (Fake redis hit, Fake cache set) x mode (Sync, Async), with
// gunicorn-gevent.cache_set.async excluded (7 cells), uvicorn.cache_set.async failed before its
// load, uvicorn.cache_hit.async with socket errors and 503s, gunicorn-gevent.cache_set.sync
// without resource samples.
void build_three_axis_run(RunFixture& fixture);

}  // namespace benchctl::test
