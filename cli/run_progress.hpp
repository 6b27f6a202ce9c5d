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

// `path` made absolute (against the current directory), for messages that say where files are.
std::string absolute_path(const std::string& path);

// Picks live on a terminal, plain when stderr is not one or the CI variable is set.
ProgressStyle choose_progress_style(bool quiet);

// Prints a run's progress to stderr in the chosen style: a heading with the cells, repetitions
// and the absolute run directory, then "[cell 3/8, repetition 2/2] <id>" lines.
class ProgressPrinter : public RunObserver {
  public:
    // `repeat`: the matrix's repetitions; the run executes every cell once, then every cell
    // again (matrix_runner), so execution k is cell (k - 1) % cells + 1 of repetition
    // (k - 1) / cells + 1.
    ProgressPrinter(ProgressStyle style, unsigned repeat)
        : m_style(style), m_repeat(repeat == 0 ? 1 : repeat) {}
    void on_run_start(const std::string& run_dir, unsigned total, unsigned skipped) override;
    void on_cell_start(unsigned index, unsigned total, const std::string& cell_label) override;
    void on_cell_progress(double elapsed_sec, double planned_sec, std::uint64_t completed,
                          double requests_per_sec, std::uint64_t failed) override;
    void on_cell_end(unsigned index, unsigned total, const CellRecord& record) override;
    void on_note(const std::string& text) override;

  private:
    ProgressStyle m_style;
    unsigned m_repeat;
    unsigned m_cells = 0;  // cells per repetition, from the heading's total
    std::string m_prefix;  // "[cell 3/14, repetition 1/2] gunicorn-gevent.cache_hit.sync"
};

}  // namespace benchctl
