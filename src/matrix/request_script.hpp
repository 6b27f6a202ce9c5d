#pragma once

#include <string>

#include "load/load_spec.hpp"

namespace benchctl {

// Lays a request script (`benchctl load URL --script FILE`) over the spec built from benchctl
// load's flags. The file is YAML holding the keys of a matrix's load: map that say what to send
// (script_schema: method, headers, body, body_file, form, json, expect, capture, vars, data,
// mix, sequence, keepalive, seed, latency, and path); a key that says how long or how hard
// (threads, duration ...) is a problem that names its flag. `path:` replaces the URL's path and
// query; the file's headers come after the flags' -H (one of the same name replaces the
// flag's); --seed and --latency given as flags win over the file's; relative files start at the
// file's directory. Every problem of the file, and of its request model compiled against the
// URL, is collected: throws MatrixError holding them all (file:line:col each), or UserError when
// the file cannot be read.
void apply_request_script(const std::string& path, LoadSpec& spec);

}  // namespace benchctl
