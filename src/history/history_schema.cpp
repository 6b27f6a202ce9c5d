#include "history/history_schema.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "history/sqlite_connection.hpp"
#include "util/error.hpp"

namespace benchctl {
namespace {

// Version 1. Samples are one row each so that SQL (and the sqlite3 shell) can read them; a
// measurement is one cell and metric of one run.
constexpr const char* k_schema_v1 = R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL UNIQUE,
    started_at INTEGER NOT NULL,          -- Unix time, seconds (UTC)
    cpu_model TEXT NOT NULL,
    cores INTEGER NOT NULL,
    kernel TEXT NOT NULL,
    benchctl_version TEXT NOT NULL,
    content_sha256 TEXT NOT NULL          -- of the run as added: a second add must match it
);
CREATE TABLE run_labels (
    run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run, key)
);
CREATE TABLE measurements (
    id INTEGER PRIMARY KEY,
    run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    cell_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    UNIQUE (run, cell_id, metric)
);
CREATE INDEX measurements_by_series ON measurements (cell_id, metric);
CREATE TABLE samples (
    measurement INTEGER NOT NULL REFERENCES measurements(id) ON DELETE CASCADE,
    repetition INTEGER NOT NULL,          -- 0-based, in run order
    value REAL NOT NULL,
    PRIMARY KEY (measurement, repetition)
) WITHOUT ROWID;
)sql";

std::int64_t single_integer(SqliteConnection& connection, const char* sql) {
    SqliteStatement statement(connection, sql);
    return statement.step() ? statement.integer(0) : 0;
}

std::vector<std::string> table_names(SqliteConnection& connection) {
    SqliteStatement statement(connection,
                              "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    std::vector<std::string> names;
    while (statement.step())
        names.push_back(statement.text(0));
    return names;
}

void create_schema(SqliteConnection& connection) {
    SqliteTransaction transaction(connection);
    connection.execute(k_schema_v1);
    connection.execute("PRAGMA application_id = " + std::to_string(k_history_application_id));
    transaction.commit();
}

void check_version(SqliteConnection& connection) {
    const auto tables = table_names(connection);
    if (std::find(tables.begin(), tables.end(), "schema_version") == tables.end())
        throw UserError("damaged benchctl history: it has no schema_version table",
                        connection.path(), "restore the file from a copy, or start a new history");
    const auto version = single_integer(connection, "SELECT max(version) FROM schema_version");
    if (version > k_history_schema_version)
        throw UserError("benchctl history of schema version " + std::to_string(version) +
                            ", newer than this benchctl reads (" +
                            std::to_string(k_history_schema_version) + ")",
                        connection.path(), "use the benchctl that wrote it, or a newer one");
    if (version < 1)
        throw UserError("damaged benchctl history: no schema version recorded", connection.path(),
                        "restore the file from a copy, or start a new history");
}

std::string list(const std::vector<std::string>& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < 5; ++i)
        text += (i == 0 ? "" : ", ") + names[i];
    return names.size() > 5 ? text + ", ..." : text;
}

}  // namespace

void prepare_history_schema(SqliteConnection& connection) {
    // The first read is where SQLite finds out whether the file is a database at all.
    const int code = connection.try_execute("SELECT count(*) FROM sqlite_master");
    if (code != 0)
        throw UserError(
            "not a benchctl history: the file is not an SQLite database, or a damaged "
            "one",
            connection.path(), "point --db at a history file (or a new path to start one)");
    connection.execute("PRAGMA foreign_keys = ON");
    const auto application_id = single_integer(connection, "PRAGMA application_id");
    const auto tables = table_names(connection);
    if (application_id == 0 && tables.empty())
        return create_schema(connection);
    if (application_id != k_history_application_id)
        throw UserError(
            "not a benchctl history: an SQLite database of another application "
            "(tables: " +
                list(tables) + ")",
            connection.path(), "point --db at a history file (or a new path to start one)");
    check_version(connection);
}

}  // namespace benchctl
