#pragma once

#include <functional>
#include <string>

#include "load/load_settings.hpp"
#include "matrix/matrix.hpp"

namespace benchctl {

// Names where a load setting came from, for error messages: the CLI maps "duration" to "-d", the
// runner to "load.duration in cell <id>".
using LoadSettingWhere = std::function<std::string(const char* key)>;

// Turns load settings as written (every variable already substituted) into LoadSettings: parses
// the URL, counts, durations, the rate, headers and the warm-up ("2s" is a period, "500" a number
// of requests), reads body_file, and checks the combination. At most one of duration, requests
// and iterations may be set; none means a 10 s duration.
// Throws UserError with where(key) as the location when a value is malformed.
LoadSettings to_load_settings(const LoadSpec& spec, const LoadSettingWhere& where);

}  // namespace benchctl
