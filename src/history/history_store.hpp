#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "history/history_run.hpp"
#include "history/series.hpp"

namespace benchctl {

class SqliteConnection;

// A run as listed from the history.
struct StoredRun {
    std::string run_id;
    std::chrono::sys_seconds started_at{};
    std::map<std::string, std::string> labels;
    MachineFingerprint machine;
};

// The history database: one SQLite file (docs/statistics.md, "History") holding, per run, its
// labels, machine and the repetition samples of every cell and metric, so that medians and
// change points can be recomputed. Schema version 1; the file carries SQLite's application_id
// 0x62686973 ("bhis") so that a foreign database is recognised.
class HistoryStore {
  public:
    enum class Open {
        create_if_missing,  // history add: a new file gets the schema
        existing_only,      // show, check, report: a missing file is an error
    };

    // Opens the history at `path`. Throws UserError naming the path when the file is missing
    // (Open::existing_only) or cannot be created, is not SQLite or is damaged ("corrupt"), is a
    // SQLite database of another application ("foreign"), or has a schema newer than this
    // benchctl knows.
    static HistoryStore open(const std::string& path, Open mode);

    HistoryStore(HistoryStore&&) noexcept;
    HistoryStore& operator=(HistoryStore&&) noexcept;
    ~HistoryStore();

    enum class AddOutcome { added, already_present };

    // Stores `run` in one transaction: all of it or, on any error, nothing. A run id already
    // stored with the same content is a no-op (already_present). Metrics without samples are
    // skipped. Throws UserError when the run id, a cell id or a metric name is empty, a sample
    // is not finite (naming the cell and metric), the run id is stored with other content, or
    // the database cannot be written.
    AddOutcome add_run(const HistoryRun& run);

    // Every stored run, oldest first (start time, then run id).
    std::vector<StoredRun> runs() const;

    // The series whose cell id and metric match the query's globs, ordered by cell id and
    // metric; each series' points oldest first. Empty when nothing matches.
    std::vector<Series> series(const SeriesQuery& query) const;

    const std::string& path() const;

  private:
    explicit HistoryStore(std::unique_ptr<SqliteConnection> connection);
    std::unique_ptr<SqliteConnection> m_connection;
};

}  // namespace benchctl
