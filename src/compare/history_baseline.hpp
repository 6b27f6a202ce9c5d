#pragma once

#include <string>
#include <vector>

#include "compare/sample_set.hpp"
#include "history/history_store.hpp"
#include "stats/e_divisive.hpp"

namespace benchctl {

// The BASE of `compare --baseline history[:FILE]`: for every cell and figure of `metrics` in the
// history, the medians of the runs in the newest stable segment of its series (the runs after
// its last change point, newest_stable_segment), one value per run; so a cell compares with what
// it has measured since its last change, not with one night. Points of the run `exclude_run_id`
// (NEW, when it was added already) are left out first. The machine and run id are those of the
// newest run in the history. Throws UserError naming the file when it holds no run.
SampleSet history_baseline(const HistoryStore& store, const std::vector<Metric>& metrics,
                           const std::string& exclude_run_id,
                           const ChangePointOptions& detection = {});

}  // namespace benchctl
