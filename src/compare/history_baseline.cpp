#include "compare/history_baseline.hpp"

#include <algorithm>

#include "history/stable_segment.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

CellSamples& cell_named(SampleSet& set, const std::string& cell_id) {
    for (CellSamples& cell : set.cells) {
        if (cell.cell_id == cell_id)
            return cell;
    }
    set.cells.push_back(CellSamples{cell_id, 0, 0, 0, {}});
    return set.cells.back();
}

}  // namespace

SampleSet history_baseline(const HistoryStore& store, const std::vector<Metric>& metrics,
                           const std::string& exclude_run_id, const ChangePointOptions& detection) {
    std::vector<StoredRun> runs = store.runs();
    std::erase_if(runs, [&](const StoredRun& run) { return run.run_id == exclude_run_id; });
    if (runs.empty()) {
        throw UserError("the history holds no run to compare with", store.path(),
                        "add a baseline run first: benchctl history add RUN --db " + store.path());
    }
    SampleSet set{SampleSource::history, store.path(),        runs.back().run_id,
                  runs.back().labels,    runs.back().machine, {}};
    for (const Metric metric : metrics) {
        for (Series series : store.series({"*", describe(metric).name})) {
            std::erase_if(series.points,
                          [&](const SeriesPoint& point) { return point.run_id == exclude_run_id; });
            if (series.points.empty())
                continue;
            const StableSegment segment = newest_stable_segment(series, detection);
            CellSamples& cell = cell_named(set, series.cell_id);
            cell.samples[metric] = segment_medians(series, segment);
            cell.planned = std::max(cell.planned, segment.size());
            cell.measured = cell.planned;
        }
    }
    return set;
}

}  // namespace benchctl
