#include "history/history_store.hpp"

#include <cmath>
#include <cstdio>

#include "history/history_schema.hpp"
#include "history/sqlite_connection.hpp"
#include "stats/repetition_summary.hpp"
#include "util/error.hpp"
#include "util/sha256.hpp"

namespace benchctl {
namespace {

void check_run(const HistoryRun& run) {
    const std::string where = "run " + run.run_id;
    if (run.run_id.empty())
        throw UserError("a run without an id cannot be stored in the history", "",
                        "add the run from its run directory, which has an id");
    for (const auto& [cell_id, metrics] : run.cells) {
        if (cell_id.empty())
            throw UserError("a cell without an id", where, "check the run's cell results");
        for (const auto& [metric, samples] : metrics) {
            if (metric.empty())
                throw UserError("a metric without a name", where + ", cell " + cell_id,
                                "check the run's cell results");
            for (const double sample : samples)
                if (!std::isfinite(sample))
                    throw UserError("metric " + metric + " has a value that is not a number",
                                    where + ", cell " + cell_id,
                                    "leave failed repetitions out of the samples");
        }
    }
}

// A canonical text of everything stored for the run (maps are ordered; samples in %.17g, which
// round-trips doubles), hashed so that a second add of the same id can be told apart from a
// different run under the same id.
std::string content_digest(const HistoryRun& run) {
    std::string text =
        run.run_id + '\n' + std::to_string(run.started_at.time_since_epoch().count());
    for (const auto& [key, value] : run.labels)
        text += "\nlabel\t" + key + '\t' + value;
    text += "\nmachine\t" + run.machine.cpu_model + '\t' + std::to_string(run.machine.cores) +
            '\t' + run.machine.kernel + '\t' + run.machine.benchctl_version;
    char number[32];
    for (const auto& [cell_id, metrics] : run.cells)
        for (const auto& [metric, samples] : metrics) {
            if (samples.empty())
                continue;
            text += "\ncell\t" + cell_id + '\t' + metric;
            for (const double sample : samples) {
                std::snprintf(number, sizeof number, "\t%.17g", sample);
                text += number;
            }
        }
    return sha256_hex(text);
}

std::int64_t insert_run(SqliteConnection& db, const HistoryRun& run, const std::string& digest) {
    SqliteStatement insert(db,
                           "INSERT INTO runs (run_id, started_at, cpu_model, cores, kernel, "
                           "benchctl_version, content_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.bind(1, run.run_id)
        .bind(2, static_cast<std::int64_t>(run.started_at.time_since_epoch().count()))
        .bind(3, run.machine.cpu_model)
        .bind(4, static_cast<std::int64_t>(run.machine.cores))
        .bind(5, run.machine.kernel)
        .bind(6, run.machine.benchctl_version)
        .bind(7, digest);
    insert.run();
    const std::int64_t row = db.last_insert_row_id();
    SqliteStatement label(db, "INSERT INTO run_labels (run, key, value) VALUES (?1, ?2, ?3)");
    for (const auto& [key, value] : run.labels)
        label.bind(1, row).bind(2, key).bind(3, value).run();
    return row;
}

void insert_measurements(SqliteConnection& db, std::int64_t run_row, const HistoryRun& run) {
    SqliteStatement measurement(
        db, "INSERT INTO measurements (run, cell_id, metric) VALUES (?1, ?2, ?3)");
    SqliteStatement sample(
        db, "INSERT INTO samples (measurement, repetition, value) VALUES (?1, ?2, ?3)");
    for (const auto& [cell_id, metrics] : run.cells)
        for (const auto& [metric, samples] : metrics) {
            if (samples.empty())
                continue;
            measurement.bind(1, run_row).bind(2, cell_id).bind(3, metric).run();
            const std::int64_t measurement_row = db.last_insert_row_id();
            for (std::size_t i = 0; i < samples.size(); ++i)
                sample.bind(1, measurement_row)
                    .bind(2, static_cast<std::int64_t>(i))
                    .bind(3, samples[i])
                    .run();
        }
}

// run rowid -> its labels, for every run.
std::map<std::int64_t, std::map<std::string, std::string>> all_labels(SqliteConnection& db) {
    std::map<std::int64_t, std::map<std::string, std::string>> labels;
    SqliteStatement statement(db, "SELECT run, key, value FROM run_labels");
    while (statement.step())
        labels[statement.integer(0)][statement.text(1)] = statement.text(2);
    return labels;
}

// The run columns every listing reads, from column `first` on: run_id, started_at, cpu_model,
// cores, kernel, benchctl_version.
void read_run_columns(const SqliteStatement& row, int first, std::string& run_id,
                      std::chrono::sys_seconds& started_at, MachineFingerprint& machine) {
    run_id = row.text(first);
    started_at = std::chrono::sys_seconds(std::chrono::seconds(row.integer(first + 1)));
    machine.cpu_model = row.text(first + 2);
    machine.cores = static_cast<unsigned>(row.integer(first + 3));
    machine.kernel = row.text(first + 4);
    machine.benchctl_version = row.text(first + 5);
}

}  // namespace

HistoryStore HistoryStore::open(const std::string& path, Open mode) {
    auto connection = std::make_unique<SqliteConnection>(
        path, mode == Open::create_if_missing ? SqliteConnection::Create::if_missing
                                              : SqliteConnection::Create::never);
    prepare_history_schema(*connection);
    return HistoryStore(std::move(connection));
}

HistoryStore::HistoryStore(std::unique_ptr<SqliteConnection> connection)
    : m_connection(std::move(connection)) {}
HistoryStore::HistoryStore(HistoryStore&&) noexcept = default;
HistoryStore& HistoryStore::operator=(HistoryStore&&) noexcept = default;
HistoryStore::~HistoryStore() = default;

const std::string& HistoryStore::path() const {
    return m_connection->path();
}

HistoryStore::AddOutcome HistoryStore::add_run(const HistoryRun& run) {
    check_run(run);
    const std::string digest = content_digest(run);
    SqliteConnection& db = *m_connection;
    SqliteTransaction transaction(db);
    SqliteStatement existing(db, "SELECT content_sha256 FROM runs WHERE run_id = ?1");
    existing.bind(1, run.run_id);
    if (existing.step()) {
        if (existing.text(0) == digest)
            return AddOutcome::already_present;
        throw UserError("run " + run.run_id + " is already in the history with other figures",
                        db.path(),
                        "a run id names one run: add each run directory once (a resumed run "
                        "is added after it has finished)");
    }
    const std::int64_t run_row = insert_run(db, run, digest);
    insert_measurements(db, run_row, run);
    transaction.commit();
    return AddOutcome::added;
}

std::vector<StoredRun> HistoryStore::runs() const {
    SqliteConnection& db = *m_connection;
    auto labels = all_labels(db);
    SqliteStatement statement(db,
                              "SELECT id, run_id, started_at, cpu_model, cores, kernel, "
                              "benchctl_version FROM runs ORDER BY started_at, run_id");
    std::vector<StoredRun> runs;
    while (statement.step()) {
        StoredRun run;
        read_run_columns(statement, 1, run.run_id, run.started_at, run.machine);
        run.labels = std::move(labels[statement.integer(0)]);
        runs.push_back(std::move(run));
    }
    return runs;
}

std::vector<Series> HistoryStore::series(const SeriesQuery& query) const {
    SqliteConnection& db = *m_connection;
    auto labels = all_labels(db);
    SqliteStatement statement(
        db,
        "SELECT m.id, m.cell_id, m.metric, r.id, r.run_id, r.started_at, r.cpu_model, r.cores, "
        "r.kernel, r.benchctl_version, s.value "
        "FROM measurements m JOIN runs r ON r.id = m.run JOIN samples s ON s.measurement = m.id "
        "WHERE m.cell_id GLOB ?1 AND m.metric GLOB ?2 "
        "ORDER BY m.cell_id, m.metric, r.started_at, r.run_id, s.repetition");
    statement.bind(1, query.cell_glob).bind(2, query.metric_glob);
    std::vector<Series> all;
    std::int64_t current_measurement = -1;
    while (statement.step()) {
        const std::string cell_id = statement.text(1);
        const std::string metric = statement.text(2);
        if (all.empty() || all.back().cell_id != cell_id || all.back().metric != metric)
            all.push_back(Series{cell_id, metric, {}});
        Series& series = all.back();
        if (statement.integer(0) != current_measurement) {
            current_measurement = statement.integer(0);
            SeriesPoint point;
            read_run_columns(statement, 4, point.run_id, point.started_at, point.machine);
            point.labels = labels[statement.integer(3)];
            series.points.push_back(std::move(point));
        }
        series.points.back().samples.push_back(statement.real(10));
    }
    for (Series& series : all)
        for (SeriesPoint& point : series.points)
            point.median = median_of(point.samples);
    return all;
}

}  // namespace benchctl
