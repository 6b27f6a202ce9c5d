#pragma once

#include <optional>
#include <string>

#include "matrix/document.hpp"
#include "matrix/variables.hpp"
#include "services/service_config.hpp"

namespace benchctl {

class ProblemList;

// Whether checks look at this machine (validate and run) or not (list).
enum class ServerCheck { yes, no };

// Checks and reads a service map that names a `kind` (its expansion-time variables substituted;
// `runtime` holds the run-time variables it may use, with example values): a known kind (with
// "did you mean"), no command or shell (benchctl starts the server itself), the kind's keys
// (schema, "did you mean"), its settings (names the server could have, none benchctl sets
// itself, values on one line), postgres databases and user names, an nginx upstream that is an
// address, and with ServerCheck::yes the server's programs on this machine (a missing one names
// the Debian package). Problems go to `problems`, at the offending key or value; nullopt when
// the kind itself is unusable.
std::optional<ServiceConfig> read_kind_service(const DocEntry& entry, const DocNode& service,
                                               const Variables& runtime, ServerCheck server_check,
                                               ProblemList& problems);

}  // namespace benchctl
