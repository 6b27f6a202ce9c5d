#pragma once

namespace benchctl {

class SqliteConnection;

// The history's schema version that this benchctl writes and reads.
inline constexpr int k_history_schema_version = 1;

// SQLite's application_id of a history file: "bhis" in ASCII.
inline constexpr int k_history_application_id = 0x62686973;

// Makes `connection` a usable history: an empty database gets the schema; a history of this
// schema version is left as it is. Throws UserError naming the file when it is not SQLite or is
// damaged, belongs to another application, or has a newer schema version.
void prepare_history_schema(SqliteConnection& connection);

}  // namespace benchctl
