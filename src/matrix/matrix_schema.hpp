#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/service_kind.hpp"

namespace benchctl {

// What a key of a matrix file holds; each type has one check (see schema_check.hpp).
enum class ValueType {
    text,         // any string
    name,         // [a-z0-9_-]+ (the matrix name)
    integer,      // a whole number >= 1 (repeat)
    seed,         // a whole number from 0 to 2^64 - 1
    status,       // an HTTP status 100..599
    boolean,      // true / false
    duration,     // 10s, 500ms, 2m
    count,        // 20, 10k
    rate,         // 500, 2.5k (per second)
    warmup,       // a duration (1s) or a count of requests (500)
    signal,       // TERM, INT, QUIT, HUP, KILL, USR1, USR2 (SIG prefix allowed) or a number
    http_path,    // /health
    url,          // http://127.0.0.1:${port}/
    regex,        // an ECMAScript regular expression
    string_list,  // [a, b, c]
    string_map,   // {NAME: value}
    cpu_list,     // 0, 1-3, 0,2-3 (taskset -c)
    percent,      // 5%, 150% (of one core), or a bare number
    map,          // a nested map with its own keys (KeyRule::nested)
    thresholds,   // metric name -> condition(s) like "< 250ms" (threshold_reader.hpp)
    custom,       // checked by dedicated code (axes, services, include, exclude)
};

struct MapSchema;

// One key a map may hold.
struct KeyRule {
    const char* name;
    ValueType type;
    const MapSchema* nested = nullptr;  // ValueType::map
};

// The keys of one kind of map: the top level, target, target.ready, target.stop, load.
struct MapSchema {
    const char* name;  // "target", for messages
    std::vector<KeyRule> keys;

    const KeyRule* find(std::string_view key) const;
    std::vector<std::string> key_names() const;
};

// Keys of which a map may hold only one: setting one (as an axis value or --set does over the
// top level) replaces the others of its group, and a map holding two is an error.
struct ExclusiveGroup {
    std::vector<std::string> keys;      // at most one of these in one map
    std::vector<std::string> replaces;  // what setting one of `keys` drops from the map below
};

const MapSchema& top_level_schema();
const MapSchema& target_schema();  // also every service
// A command companion of a target (target.companions.<name>): how to start, ready and stop it.
const MapSchema& companion_schema();
const MapSchema& ready_schema();
const MapSchema& stop_schema();
const MapSchema& settle_schema();
const MapSchema& load_schema();
// One entry of `hosts:` (local, ssh, benchctl, copy_binary) and its ssh map (address, user, port,
// identity, options).
const MapSchema& host_schema();
const MapSchema& ssh_schema();
// A step of `setup:` (step_reader.hpp): name, command/shell or http, cwd, env, timeout, capture.
const MapSchema& step_schema();
const MapSchema& http_step_schema();  // a step's http: method, url, headers, body, status
// An after check's expect: output, json, equals, status.
const MapSchema& step_expect_schema();
const MapSchema& verify_schema();  // verify: count, status, body_regex, json_key
// A service of a known kind: kind, its own keys (postgres databases, user, password; nginx
// upstream; settings and keep_data for all), ready (timeout only) and stop (grace only).
const MapSchema& service_kind_schema(ServiceKind kind);
// A request's expect (the request model's check): status.
const MapSchema& expect_schema();
const MapSchema& request_schema();   // an entry of mix: or a step of sequence:
const MapSchema& data_set_schema();  // one data set under data:
const MapSchema& capture_schema();   // one capture under capture:
// The keys of a --script file: load's keys that say what to send (not how long, how hard).
const MapSchema& script_schema();
// load's keys a --script file may not hold, with the flag that sets each.
const std::vector<std::pair<std::string, std::string>>& script_flag_keys();

// The groups: command/shell, url/path, duration/requests/iterations, body/body_file/form/json,
// mix/sequence, a capture's json/header/regex, tcp/http/log (which also replaces status).
const std::vector<ExclusiveGroup>& exclusive_groups();

// What a value of `type` looks like, for "expected ..., got ..." messages: "a duration like 10s".
std::string describe(ValueType type);

}  // namespace benchctl
