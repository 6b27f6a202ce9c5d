#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "load/load_settings.hpp"
#include "load/request_spec.hpp"

namespace benchctl {

class DataSetCache;

// Every setting of one load run as a person wrote it: `benchctl load`'s flags (and its --script
// file), or a matrix cell's `load:` map (whose strings hold run-time variables such as ${port}
// until the runner fills them in). An unset optional takes LoadSettings' default. Texts of the
// request model may hold {{...}} placeholders (docs/requests.md).
struct LoadSpec {
    std::string url;
    SourceLocation url_where;  // where url (or path) was written; for placeholder problems
    std::optional<std::string> threads, connections, duration, requests, iterations, rate, timeout,
        warmup, keepalive, seed, latency;
    std::optional<std::string> cpus;  // an affinity list for the load threads: "0", "2-3"
    // The top-level request: its method, headers and expect are also the defaults of every mix
    // entry and sequence step. Its path is the URL's.
    RequestSpec request;
    std::vector<std::pair<std::string, SpecText>> vars;  // {{name}} -> text
    std::vector<DataSetSpec> data;
    RequestShape shape = RequestShape::single;
    std::vector<RequestSpec> entries;  // the mix's entries or the sequence's steps
    // Relative paths (a raw body's file, data files) start here; "" is the working directory.
    std::string base_directory;
};

// Turns a spec (every variable already substituted) into checked LoadSettings: parses the URL,
// the counts (threads and connections at most 1,000,000), durations, the rate, the warm-up,
// keepalive, seed and latency, reads the body file, compiles the request model when there is more
// than one fixed request to send (request_compiler.hpp; data files through `cache` when given),
// and checks the combination (validate_load_settings). At most one of duration, requests and
// iterations may be set; none means LoadSettings' duration. Throws UserError naming the setting
// by `names` when a value is malformed or the combination is not runnable, and SpecError at the
// place written for the first problem of the request model.
LoadSettings to_load_settings(const LoadSpec& spec, const LoadSettingNames& names,
                              DataSetCache* cache = nullptr);

// A warm-up as written: "2s", "1.5m" (anything with a time unit) is a period, "500", "10k" a
// number of requests. Throws UserError naming `where` when it is neither.
Warmup parse_warmup(const std::string& text, const std::string& where);

// The path of the URL `url` as written, with its query: what follows the authority ("/" when
// nothing does), placeholders kept; the fragment is dropped.
std::string url_target_text(const std::string& url);

// The URL up to its path: "http://127.0.0.1:8000" of "http://127.0.0.1:8000/a?b".
std::string url_origin_text(const std::string& url);

// Calls `visit` with every text of the spec that may hold a matrix's run-time variables (the
// URL, the counts, and every text of the request model), so that the runner fills them all.
void for_each_spec_text(LoadSpec& spec, const std::function<void(std::string&)>& visit);

}  // namespace benchctl
