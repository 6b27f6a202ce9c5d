#pragma once

#include <map>
#include <string>
#include <vector>

#include "history/history_run.hpp"
#include "metrics/metric.hpp"
#include "report/model/run_report.hpp"

namespace benchctl {

// One cell of one side of a comparison: its repetitions' values per figure.
struct CellSamples {
    std::string cell_id;
    std::size_t planned = 0;   // repetitions planned (history: runs in the baseline segment)
    std::size_t measured = 0;  // repetitions done with figures
    std::size_t failed = 0;    // repetitions failed or interrupted
    std::map<Metric, std::vector<double>> samples;  // measured values, in repetition order

    // The values of `metric`; empty when the cell has none.
    const std::vector<double>& of(Metric metric) const;
};

// Where a side of a comparison comes from.
enum class SampleSource { run, history };

// One side of `benchctl compare`: a run's cells (every repetition a sample) or the newest stable
// segment of a history (every run a sample, its median), with what says where it was measured.
struct SampleSet {
    SampleSource source = SampleSource::run;
    std::string location;  // the run directory or history file, as given
    std::string run_id;    // the run's id; history: the newest run of the baseline
    std::map<std::string, std::string> labels;
    MachineFingerprint machine;
    std::vector<CellSamples> cells;  // in report order

    // The cell `cell_id`, or nullptr.
    const CellSamples* find(const std::string& cell_id) const;
};

// The machine a run was measured on, as history and compare compare machines: the manifest's
// CPU model, cores and kernel, and the benchctl version that ran it.
MachineFingerprint fingerprint_of(const RunManifest& manifest);

// A run read back as one sample per cell and figure: each repetition that is done with figures
// gives one value of every figure it has (group_repetitions), in report order.
SampleSet samples_of_run(const RunReport& run);

// The run as the history stores it: its id, start time (the manifest's, to the second), labels
// (the manifest's, then `labels`, which win), machine and every figure's samples under the
// metric's name. Throws UserError naming the manifest when its start time does not read.
HistoryRun history_run_of(const RunReport& run, const std::map<std::string, std::string>& labels);

}  // namespace benchctl
