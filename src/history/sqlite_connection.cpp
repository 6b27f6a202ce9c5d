#include "history/sqlite_connection.hpp"

#include <sqlite3.h>

#include "util/error.hpp"

namespace benchctl {
namespace {

std::string hint_for(int code) {
    switch (code & 0xff) {
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
            return "the file is damaged or not a benchctl history; point --db at another file, or "
                   "restore this one from a copy";
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "another process is writing to it; run the benchctl commands on one history "
                   "one at a time";
        case SQLITE_READONLY:
        case SQLITE_PERM:
            return "make the file and its directory writable";
        case SQLITE_CANTOPEN:
            return "check the path: its directory must exist and be writable";
        case SQLITE_FULL:
            return "free some disk space";
        default:
            return "check the file, or point --db at another one";
    }
}

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, Create create) : m_path(path) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create == Create::if_missing)
        flags |= SQLITE_OPEN_CREATE;
    const int code = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (code != SQLITE_OK) {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw UserError("cannot open the history database (" + message + ")", path, hint_for(code));
    }
    sqlite3_extended_result_codes(m_db, 1);
    // A concurrent writer (two CI steps on one cached file) waits a little instead of failing.
    sqlite3_busy_timeout(m_db, 5000);
}

SqliteConnection::~SqliteConnection() {
    sqlite3_close(m_db);
}

void SqliteConnection::execute(std::string_view sql) {
    const int code = try_execute(sql);
    if (code != SQLITE_OK)
        fail(code, "writing");
}

int SqliteConnection::try_execute(std::string_view sql) {
    const std::string statements(sql);
    return sqlite3_exec(m_db, statements.c_str(), nullptr, nullptr, nullptr);
}

std::int64_t SqliteConnection::last_insert_row_id() const {
    return sqlite3_last_insert_rowid(m_db);
}

void SqliteConnection::fail(int code, std::string_view doing) const {
    throw UserError("history database error while " + std::string(doing) + " (" +
                        std::string(sqlite3_errmsg(m_db)) + ")",
                    m_path, hint_for(code));
}

SqliteStatement::SqliteStatement(SqliteConnection& connection, std::string_view sql)
    : m_connection(connection) {
    const int code = sqlite3_prepare_v2(connection.handle(), sql.data(),
                                        static_cast<int>(sql.size()), &m_statement, nullptr);
    if (code != SQLITE_OK)
        connection.fail(code, "reading its schema");
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(m_statement);
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view text) {
    const int code = sqlite3_bind_text(m_statement, index, text.data(),
                                       static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (code != SQLITE_OK)
        m_connection.fail(code, "binding a value");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t number) {
    const int code = sqlite3_bind_int64(m_statement, index, number);
    if (code != SQLITE_OK)
        m_connection.fail(code, "binding a value");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double number) {
    const int code = sqlite3_bind_double(m_statement, index, number);
    if (code != SQLITE_OK)
        m_connection.fail(code, "binding a value");
    return *this;
}

bool SqliteStatement::step() {
    const int code = sqlite3_step(m_statement);
    if (code == SQLITE_ROW)
        return true;
    if (code == SQLITE_DONE)
        return false;
    m_connection.fail(code, "reading or writing");
}

void SqliteStatement::run() {
    while (step()) {
    }
    reset();
}

void SqliteStatement::reset() {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

std::string SqliteStatement::text(int column) const {
    const auto* bytes = sqlite3_column_text(m_statement, column);
    const int size = sqlite3_column_bytes(m_statement, column);
    return bytes ? std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size))
                 : std::string();
}

std::int64_t SqliteStatement::integer(int column) const {
    return sqlite3_column_int64(m_statement, column);
}

double SqliteStatement::real(int column) const {
    return sqlite3_column_double(m_statement, column);
}

SqliteTransaction::SqliteTransaction(SqliteConnection& connection) : m_connection(connection) {
    m_connection.execute("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
    if (!m_done)
        sqlite3_exec(m_connection.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
    m_connection.execute("COMMIT");
    m_done = true;
}

}  // namespace benchctl
