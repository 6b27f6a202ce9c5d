#include "services/service_settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace benchctl {

namespace {

constexpr std::size_t k_postgres_name_max = 63;  // NAMEDATALEN - 1

struct Reserved {
    ServiceKind kind;
    std::string_view name;
    std::string_view why;
};

constexpr std::array<Reserved, 16> k_reserved = {{
    {ServiceKind::postgres, "port", "benchctl gives it a free port: ${<name>.port}"},
    {ServiceKind::postgres, "listen_addresses", "it listens on 127.0.0.1"},
    {ServiceKind::postgres, "unix_socket_directories", "it takes TCP connections only"},
    {ServiceKind::postgres, "data_directory", "its data is in services/<name>/data"},
    {ServiceKind::postgres, "config_file", "its settings come from the matrix"},
    {ServiceKind::postgres, "hba_file", "benchctl writes its authentication rules"},
    {ServiceKind::redis, "port", "benchctl gives it a free port: ${<name>.port}"},
    {ServiceKind::redis, "bind", "it listens on 127.0.0.1"},
    {ServiceKind::redis, "daemonize", "benchctl keeps it in the foreground to watch it"},
    {ServiceKind::redis, "dir", "its data is in services/<name>/data"},
    {ServiceKind::nginx, "daemon", "benchctl keeps it in the foreground to watch it"},
    {ServiceKind::nginx, "master_process", "benchctl stops it through its master process"},
    {ServiceKind::nginx, "pid", "its pid file is in services/<name>/"},
    {ServiceKind::nginx, "user", "its workers run as benchctl does"},
    {ServiceKind::nginx, "listen", "benchctl gives it a free port: ${<name>.port}"},
    {ServiceKind::nginx, "proxy_pass", "set upstream: instead"},
}};

bool name_matches(ServiceKind kind, std::string_view name) {
    auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (name.empty())
        return false;
    std::string_view rest = name.substr(1);
    switch (kind) {
        case ServiceKind::postgres:
            return (lower(name[0]) || name[0] == '_') &&
                   std::all_of(rest.begin(), rest.end(), [&](char c) {
                       return lower(c) || digit(c) || c == '_' || c == '.';
                   });
        case ServiceKind::redis:
            return lower(name[0]) && std::all_of(rest.begin(), rest.end(), [&](char c) {
                       return lower(c) || digit(c) || c == '-';
                   });
        case ServiceKind::nginx:
            return lower(name[0]) && std::all_of(rest.begin(), rest.end(), [&](char c) {
                       return lower(c) || digit(c) || c == '_';
                   });
    }
    return false;
}

const char* name_shape(ServiceKind kind) {
    switch (kind) {
        case ServiceKind::postgres:
            return "lowercase letters, digits, '_' and '.' (max_connections, shared_buffers)";
        case ServiceKind::redis:
            return "lowercase letters, digits and '-' (maxmemory, maxmemory-policy)";
        case ServiceKind::nginx:
            return "lowercase letters, digits and '_' (worker_processes, keepalive_timeout)";
    }
    return "";
}

}  // namespace

std::optional<SettingProblem> check_service_setting(ServiceKind kind, std::string_view name,
                                                    std::string_view value) {
    const char* kind_name = service_kind_name(kind);
    if (!name_matches(kind, name)) {
        return SettingProblem{fmt::format("malformed {} setting name '{}'", kind_name, name),
                              fmt::format("a name of {}", name_shape(kind))};
    }
    for (const Reserved& reserved : k_reserved) {
        if (reserved.kind == kind && reserved.name == name) {
            return SettingProblem{
                fmt::format("benchctl sets the {} setting '{}' itself", kind_name, name),
                fmt::format("remove it: {}", reserved.why)};
        }
    }
    if (value.find_first_of("\n\r") != std::string_view::npos || value.find('\0') != value.npos) {
        return SettingProblem{fmt::format("the {} setting '{}' spans lines", kind_name, name),
                              "write its value on one line"};
    }
    if (kind == ServiceKind::nginx &&
        (value.empty() || value.find_first_of(";{}") != std::string_view::npos)) {
        return SettingProblem{
            fmt::format("the nginx setting '{}' must be a value without ';', '{{' or '}}'", name),
            "write the directive's arguments only, e.g. keepalive_timeout: 65s"};
    }
    return std::nullopt;
}

std::optional<SettingProblem> check_postgres_name(std::string_view what, std::string_view name) {
    auto letter = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    bool shaped = !name.empty() && letter(name[0]) &&
                  std::all_of(name.begin(), name.end(),
                              [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
    if (!shaped || name.size() > k_postgres_name_max) {
        return SettingProblem{fmt::format("malformed postgres {} name '{}'", what, name),
                              fmt::format("use letters, digits and '_', starting with a letter, "
                                          "at most {} bytes",
                                          k_postgres_name_max)};
    }
    if (what == "database" && (name == "postgres" || name == "template0" || name == "template1")) {
        return SettingProblem{fmt::format("the database '{}' exists in every new cluster", name),
                              "remove it from databases: (${<name>.database} is postgres when "
                              "none is listed)"};
    }
    return std::nullopt;
}

}  // namespace benchctl
