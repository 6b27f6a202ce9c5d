#pragma once

namespace benchctl {

// The history file `history` and `compare --baseline history` use when no --db or FILE is given:
// in the directory benchctl runs from, as results/ is.
inline constexpr const char* k_default_history_file = "benchctl-history.db";

}  // namespace benchctl
