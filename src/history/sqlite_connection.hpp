#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace benchctl {

// A thin RAII layer over the SQLite C API for the history store: one connection, prepared
// statements, and errors turned into UserError naming the database file. Internal to
// src/history/; only this pair includes sqlite3.h.
class SqliteConnection {
  public:
    enum class Create { if_missing, never };

    // Opens `path` read-write. Throws UserError when it cannot be opened (missing with
    // Create::never, a directory, no permission).
    SqliteConnection(const std::string& path, Create create);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    // Runs one or more statements without results. Throws UserError (see fail()).
    void execute(std::string_view sql);
    // The same, returning SQLite's result code (0 is success) instead of throwing.
    int try_execute(std::string_view sql);

    // Throws a UserError for SQLite result `code` met while `doing` something: names the file,
    // SQLite's message and what to do (a corrupt or non-SQLite file, a locked or read-only one).
    [[noreturn]] void fail(int code, std::string_view doing) const;

    // The rowid of the last row this connection inserted.
    std::int64_t last_insert_row_id() const;

    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

  private:
    std::string m_path;
    sqlite3* m_db = nullptr;
};

// A prepared statement; parameters are numbered from 1, columns from 0.
class SqliteStatement {
  public:
    // Throws UserError when `sql` does not compile against this database (e.g. a foreign schema).
    SqliteStatement(SqliteConnection& connection, std::string_view sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    SqliteStatement& bind(int index, std::string_view text);
    SqliteStatement& bind(int index, std::int64_t number);
    SqliteStatement& bind(int index, double number);

    // Advances: true when a row is available, false when done. Throws UserError on failure.
    bool step();
    // Runs a statement without results to completion and resets it for the next bindings.
    void run();
    void reset();

    std::string text(int column) const;
    std::int64_t integer(int column) const;
    double real(int column) const;

  private:
    SqliteConnection& m_connection;
    sqlite3_stmt* m_statement = nullptr;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless commit() ran: a failure half
// way leaves the database as it was.
class SqliteTransaction {
  public:
    explicit SqliteTransaction(SqliteConnection& connection);
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    void commit();

  private:
    SqliteConnection& m_connection;
    bool m_done = false;
};

}  // namespace benchctl
