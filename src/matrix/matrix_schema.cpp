#include "matrix/matrix_schema.hpp"

#include <algorithm>

namespace benchctl {

const KeyRule* MapSchema::find(std::string_view key) const {
    for (const KeyRule& rule : keys) {
        if (key == rule.name)
            return &rule;
    }
    return nullptr;
}

std::vector<std::string> MapSchema::key_names() const {
    std::vector<std::string> names;
    for (const KeyRule& rule : keys)
        names.emplace_back(rule.name);
    return names;
}

const MapSchema& ready_schema() {
    static const MapSchema schema{"ready",
                                  {{"tcp", ValueType::boolean},
                                   {"http", ValueType::http_path},
                                   {"status", ValueType::status},
                                   {"log", ValueType::regex},
                                   {"timeout", ValueType::duration}}};
    return schema;
}

const MapSchema& stop_schema() {
    static const MapSchema schema{"stop",
                                  {{"signal", ValueType::signal}, {"grace", ValueType::duration}}};
    return schema;
}

const MapSchema& settle_schema() {
    static const MapSchema schema{"settle",
                                  {{"cpu_below", ValueType::percent},
                                   {"window", ValueType::duration},
                                   {"timeout", ValueType::duration}}};
    return schema;
}

const MapSchema& target_schema() {
    static const MapSchema schema{"target",
                                  {{"command", ValueType::string_list},
                                   {"shell", ValueType::text},
                                   {"cwd", ValueType::text},
                                   {"env", ValueType::string_map},
                                   {"ready", ValueType::map, &ready_schema()},
                                   {"warmup", ValueType::duration},
                                   {"stop", ValueType::map, &stop_schema()},
                                   {"version", ValueType::string_list},
                                   {"cpus", ValueType::cpu_list},
                                   {"settle", ValueType::map, &settle_schema()},
                                   {"scope", ValueType::text},
                                   {"host", ValueType::text},
                                   {"companions", ValueType::custom}}};
    return schema;
}

const MapSchema& ssh_schema() {
    static const MapSchema schema{"ssh",
                                  {{"address", ValueType::text},
                                   {"user", ValueType::text},
                                   {"port", ValueType::integer},
                                   {"identity", ValueType::text},
                                   {"options", ValueType::string_list}}};
    return schema;
}

const MapSchema& host_schema() {
    static const MapSchema schema{"host",
                                  {{"local", ValueType::boolean},
                                   {"ssh", ValueType::map, &ssh_schema()},
                                   {"benchctl", ValueType::text},
                                   {"copy_binary", ValueType::boolean}}};
    return schema;
}

const MapSchema& companion_schema() {
    static const MapSchema schema{"companion",
                                  {{"command", ValueType::string_list},
                                   {"shell", ValueType::text},
                                   {"cwd", ValueType::text},
                                   {"env", ValueType::string_map},
                                   {"ready", ValueType::map, &ready_schema()},
                                   {"stop", ValueType::map, &stop_schema()}}};
    return schema;
}

const MapSchema& expect_schema() {
    static const MapSchema schema{"expect", {{"status", ValueType::custom}}};
    return schema;
}

const MapSchema& data_set_schema() {
    static const MapSchema schema{
        "data set",
        {{"file", ValueType::text}, {"pick", ValueType::text}, {"format", ValueType::text}}};
    return schema;
}

const MapSchema& capture_schema() {
    static const MapSchema schema{
        "capture",
        {{"json", ValueType::text}, {"header", ValueType::text}, {"regex", ValueType::text}}};
    return schema;
}

namespace {

const MapSchema& kind_ready_schema() {
    static const MapSchema schema{"ready", {{"timeout", ValueType::duration}}};
    return schema;
}

const MapSchema& kind_stop_schema() {
    static const MapSchema schema{"stop", {{"grace", ValueType::duration}}};
    return schema;
}

MapSchema kind_schema(const char* name, std::vector<KeyRule> own) {
    std::vector<KeyRule> keys{{"kind", ValueType::text}};
    keys.insert(keys.end(), own.begin(), own.end());
    keys.push_back({"settings", ValueType::string_map});
    keys.push_back({"keep_data", ValueType::boolean});
    keys.push_back({"host", ValueType::text});
    keys.push_back({"ready", ValueType::map, &kind_ready_schema()});
    keys.push_back({"stop", ValueType::map, &kind_stop_schema()});
    return {name, std::move(keys)};
}

// `keys` followed by what one request may say (at the top of load:, and in each mix entry or
// sequence step).
std::vector<KeyRule> with_request_keys(std::vector<KeyRule> keys) {
    keys.insert(keys.end(), {{"method", ValueType::text},
                             {"headers", ValueType::string_map},
                             {"body", ValueType::text},
                             {"body_file", ValueType::text},
                             {"form", ValueType::string_map},
                             {"json", ValueType::custom},
                             {"expect", ValueType::map, &expect_schema()},
                             {"capture", ValueType::custom}});
    return keys;
}

}  // namespace

const MapSchema& service_kind_schema(ServiceKind kind) {
    static const MapSchema postgres =
        kind_schema("postgres service", {{"databases", ValueType::string_list},
                                         {"user", ValueType::text},
                                         {"password", ValueType::text}});
    static const MapSchema redis = kind_schema("redis service", {});
    static const MapSchema nginx = kind_schema("nginx service", {{"upstream", ValueType::text}});
    switch (kind) {
        case ServiceKind::postgres:
            return postgres;
        case ServiceKind::redis:
            return redis;
        case ServiceKind::nginx:
            return nginx;
    }
    return redis;
}

const MapSchema& http_step_schema() {
    static const MapSchema schema{"http",
                                  {{"method", ValueType::text},
                                   {"url", ValueType::url},
                                   {"headers", ValueType::string_map},
                                   {"body", ValueType::text},
                                   {"status", ValueType::status}}};
    return schema;
}

const MapSchema& step_schema() {
    static const MapSchema schema{"step",
                                  {{"name", ValueType::text},
                                   {"command", ValueType::string_list},
                                   {"shell", ValueType::text},
                                   {"http", ValueType::map, &http_step_schema()},
                                   {"cwd", ValueType::text},
                                   {"env", ValueType::string_map},
                                   {"timeout", ValueType::duration},
                                   {"capture", ValueType::custom},
                                   {"expect", ValueType::custom}}};
    return schema;
}

const MapSchema& verify_schema() {
    static const MapSchema schema{"verify",
                                  {{"count", ValueType::integer},
                                   {"status", ValueType::status},
                                   {"body_regex", ValueType::regex},
                                   {"json_key", ValueType::text}}};
    return schema;
}

const MapSchema& step_expect_schema() {
    static const MapSchema schema{"expect",
                                  {{"output", ValueType::text},
                                   {"json", ValueType::text},
                                   {"equals", ValueType::text},
                                   {"status", ValueType::status}}};
    return schema;
}

const MapSchema& request_schema() {
    static const MapSchema schema{"request", with_request_keys({{"name", ValueType::text},
                                                                {"path", ValueType::text},
                                                                {"weight", ValueType::text}})};
    return schema;
}

const MapSchema& load_schema() {
    static const MapSchema schema{"load", with_request_keys({{"url", ValueType::url},
                                                             {"path", ValueType::http_path},
                                                             {"threads", ValueType::count},
                                                             {"connections", ValueType::count},
                                                             {"duration", ValueType::duration},
                                                             {"requests", ValueType::count},
                                                             {"iterations", ValueType::count},
                                                             {"rate", ValueType::rate},
                                                             {"timeout", ValueType::duration},
                                                             {"warmup", ValueType::warmup},
                                                             {"vars", ValueType::string_map},
                                                             {"data", ValueType::custom},
                                                             {"mix", ValueType::custom},
                                                             {"sequence", ValueType::custom},
                                                             {"keepalive", ValueType::boolean},
                                                             {"seed", ValueType::seed},
                                                             {"latency", ValueType::boolean},
                                                             {"cpus", ValueType::cpu_list},
                                                             {"agents", ValueType::custom}})};
    return schema;
}

const std::vector<std::pair<std::string, std::string>>& script_flag_keys() {
    static const std::vector<std::pair<std::string, std::string>> keys{
        {"url", "the URL argument"},
        {"threads", "-t"},
        {"connections", "-c"},
        {"duration", "-d"},
        {"requests", "-n"},
        {"iterations", "--iterations"},
        {"rate", "-R"},
        {"timeout", "--timeout"},
        {"warmup", "--warmup"},
        {"cpus", "--cpus"}};
    return keys;
}

const MapSchema& script_schema() {
    static const MapSchema schema = [] {
        MapSchema script{"script", {}};
        for (const KeyRule& rule : load_schema().keys) {
            const auto& flags = script_flag_keys();
            bool is_flag = std::any_of(flags.begin(), flags.end(),
                                       [&](const auto& flag) { return flag.first == rule.name; });
            // Where the load runs is the matrix's to say, not a script's.
            if (!is_flag && std::string_view(rule.name) != "agents")
                script.keys.push_back(rule);
        }
        return script;
    }();
    return schema;
}

const MapSchema& top_level_schema() {
    static const MapSchema schema{"matrix",
                                  {{"name", ValueType::name},
                                   {"title", ValueType::text},
                                   {"description", ValueType::text},
                                   {"axes", ValueType::custom},
                                   {"exclude", ValueType::custom},
                                   {"include", ValueType::custom},
                                   {"hosts", ValueType::custom},
                                   {"services", ValueType::custom},
                                   {"setup", ValueType::custom},
                                   {"before", ValueType::custom},
                                   {"after", ValueType::custom},
                                   {"verify", ValueType::map, &verify_schema()},
                                   {"target", ValueType::map, &target_schema()},
                                   {"load", ValueType::map, &load_schema()},
                                   {"thresholds", ValueType::thresholds},
                                   {"repeat", ValueType::integer},
                                   {"cooldown", ValueType::duration}}};
    return schema;
}

const std::vector<ExclusiveGroup>& exclusive_groups() {
    static const std::vector<ExclusiveGroup> groups{
        {{"command", "shell"}, {"command", "shell"}},
        {{"url", "path"}, {"url", "path"}},
        {{"duration", "requests", "iterations"}, {"duration", "requests", "iterations"}},
        {{"body", "body_file", "form", "json"}, {"body", "body_file", "form", "json"}},
        {{"mix", "sequence"}, {"mix", "sequence"}},
        {{"json", "header", "regex"}, {"json", "header", "regex"}},
        {{"tcp", "http", "log"}, {"tcp", "http", "log", "status"}},
    };
    return groups;
}

std::string describe(ValueType type) {
    switch (type) {
        case ValueType::text:
            return "a string";
        case ValueType::name:
            return "a name of lowercase letters, digits, '-' and '_'";
        case ValueType::integer:
            return "a whole number like 3";
        case ValueType::seed:
            return "a whole number like 42";
        case ValueType::status:
            return "an HTTP status like 200";
        case ValueType::boolean:
            return "true or false";
        case ValueType::duration:
            return "a duration like 10s";
        case ValueType::count:
            return "a number like 20 or 10k";
        case ValueType::rate:
            return "a rate like 500 (requests per second)";
        case ValueType::warmup:
            return "a duration like 1s or a number of requests like 500";
        case ValueType::signal:
            return "a signal name like TERM or a number";
        case ValueType::http_path:
            return "a path like /health";
        case ValueType::url:
            return "a URL like http://127.0.0.1:${port}/";
        case ValueType::regex:
            return "a regular expression";
        case ValueType::string_list:
            return "a list of strings like [gunicorn, app:app]";
        case ValueType::string_map:
            return "a map of names to strings";
        case ValueType::cpu_list:
            return "a CPU list like 0, 1-3 or 0,2-3";
        case ValueType::percent:
            return "a percentage of one core like 5%";
        case ValueType::map:
            return "a map of settings";
        case ValueType::thresholds:
            return "a map of metrics to conditions like \"< 250ms\"";
        case ValueType::custom:
            return "a map";
    }
    return "a value";
}

}  // namespace benchctl
