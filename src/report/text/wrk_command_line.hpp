#pragma once

#include <string>

#include "load/load_settings.hpp"

namespace benchctl {

// The command line that asks for a cell's load, in source document 004's form:
//   wrk -d 30s -t 4 -c 8 --latency 'http://127.0.0.1:8000/worker/1?authorize_key=k'
// -d the duration in seconds, -t threads, -c connections, then -R <rate> (wrk2) with a rate,
// --timeout when it is not wrk's 2 s, one -H 'Name: value' per header, --latency when the cell
// asked for the distribution, and the URL (quoted when the shell would read it otherwise).
// What wrk cannot ask for without a Lua script (a total of requests, iterations per connection,
// another method, a body) makes it `benchctl load` with the same flags plus -n, --iterations,
// -m and --body. An empty URL (an imported summary without one) is left out.
std::string wrk_command_line(const LoadSettings& settings);

// `text` as one shell word: as is when it holds only characters no shell reads specially
// (letters, digits and "@%+=:,./-_"), else in single quotes ('it'\''s').
std::string shell_word(const std::string& text);

}  // namespace benchctl
