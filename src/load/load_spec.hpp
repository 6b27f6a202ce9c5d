#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "load/load_settings.hpp"

namespace benchctl {

// Every setting of one load run as a person wrote it: `benchctl load`'s flags, or a matrix cell's
// `load:` map (whose strings hold run-time variables such as ${port} until the runner fills them
// in). An unset optional takes LoadSettings' default. A new request setting (templates, data
// sets, mixes) is a new field here, read in to_load_settings() and named in LoadKey.
struct LoadSpec {
    std::string url;
    std::optional<std::string> threads, connections, duration, requests, iterations, rate, timeout,
        warmup;
    std::optional<std::string> cpus;  // an affinity list for the load threads: "0", "2-3"
    std::string method = "GET";
    std::vector<std::pair<std::string, std::string>> headers;  // in the order written
    std::string body;
    std::string body_file;  // read by to_load_settings; a matrix's is relative to its file
};

// Turns a spec (every variable already substituted) into checked LoadSettings: parses the URL,
// the counts (threads and connections at most 1,000,000), durations, the rate and the warm-up,
// reads body_file, and checks the combination (validate_load_settings). At most one of duration,
// requests and iterations may be set; none means LoadSettings' duration. Throws UserError naming
// the setting by `names` when a value is malformed or the combination is not runnable.
LoadSettings to_load_settings(const LoadSpec& spec, const LoadSettingNames& names);

// A warm-up as written: "2s", "1.5m" (anything with a time unit) is a period, "500", "10k" a
// number of requests. Throws UserError naming `where` when it is neither.
Warmup parse_warmup(const std::string& text, const std::string& where);

}  // namespace benchctl
