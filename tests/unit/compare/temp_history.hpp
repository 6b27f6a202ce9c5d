#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "history/history_store.hpp"
#include "scratch_dir.hpp"

namespace benchctl::test {

// A history file in a fresh directory under /tmp, removed with the directory; and nightly runs
// of one cell whose requests/sec follow `medians` (three repetitions each, at 1 % around the
// median), one night apart, committed as c0, c1 ...
class TempHistory {
  public:
    TempHistory() = default;
    TempHistory(const TempHistory&) = delete;
    TempHistory& operator=(const TempHistory&) = delete;

    const std::string& path() const { return m_path; }

    void add_nights(const std::string& cell_id, const std::vector<double>& medians) {
        add_nights({{cell_id, medians}});
    }

    // Several cells measured on the same nights (all of one length).
    void add_nights(const std::map<std::string, std::vector<double>>& cells) {
        HistoryStore store = HistoryStore::open(m_path, HistoryStore::Open::create_if_missing);
        const std::size_t nights = cells.begin()->second.size();
        for (std::size_t night = 0; night < nights; ++night) {
            HistoryRun run;
            run.run_id = "night-" + std::to_string(100 + night);
            run.started_at = std::chrono::sys_seconds(
                std::chrono::seconds(1'790'000'000 + static_cast<long long>(night) * 86'400));
            run.labels = {{"commit", "c" + std::to_string(night)}};
            run.machine = {"AMD EPYC 7763", 2, "Linux 6.1.0 x86_64", "0.1.0"};
            for (const auto& [cell_id, medians] : cells) {
                const double m = medians[night];
                run.cells[cell_id]["requests_per_sec"] = {m * 0.99, m, m * 1.01};
            }
            store.add_run(run);
        }
    }

  private:
    testing::ScratchDir m_directory{"trend"};
    std::string m_path = m_directory.file("history.db");
};

// 20 nights of 1000 requests/sec with small wobbles, then `after` nights 20 % slower.
inline std::vector<double> step_series(std::size_t before, std::size_t after) {
    const double wobble[] = {1.0, 1.01, 0.99, 1.005, 0.995, 1.012, 0.988};
    std::vector<double> medians;
    for (std::size_t i = 0; i < before + after; ++i)
        medians.push_back((i < before ? 1000.0 : 800.0) * wobble[i % 7]);
    return medians;
}

}  // namespace benchctl::test
