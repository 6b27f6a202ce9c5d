#pragma once

#include <cstdio>

#include "runner/run_observer.hpp"

namespace benchctl {

// How `benchctl run` shows progress.
enum class ProgressStyle {
    live,   // a terminal: one line per cell, rewritten in place while its load runs
    plain,  // not a terminal, or CI is set: one line when a cell starts, one when it ends
    quiet,  // --quiet: nothing but errors
};

// Picks live on a terminal, plain when stderr is not one or the CI variable is set.
ProgressStyle choose_progress_style(bool quiet);

// Prints a run's progress to stderr in the chosen style.
class ProgressPrinter : public RunObserver {
  public:
    explicit ProgressPrinter(ProgressStyle style) : m_style(style) {}
    void on_run_start(const std::string& run_dir, unsigned total, unsigned skipped) override;
    void on_cell_start(unsigned index, unsigned total, const std::string& cell_label) override;
    void on_cell_progress(double elapsed_sec, double planned_sec, std::uint64_t completed,
                          double requests_per_sec, std::uint64_t failed) override;
    void on_cell_end(unsigned index, unsigned total, const CellRecord& record) override;
    void on_note(const std::string& text) override;

  private:
    ProgressStyle m_style;
    std::string m_prefix;  // "[3/14] gunicorn-gevent.cache_hit.sync"
};

}  // namespace benchctl
