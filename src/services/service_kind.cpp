#include "services/service_kind.hpp"

#include <array>

namespace benchctl {

namespace {

struct KindRow {
    ServiceKind kind;
    const char* name;
    const char* package;
    const char* example_url;
};

constexpr std::array<KindRow, 3> k_kinds = {{
    {ServiceKind::postgres, "postgres", "postgresql",
     "postgresql://benchctl:benchctl@127.0.0.1:8081/postgres"},
    {ServiceKind::redis, "redis", "redis-server", "redis://127.0.0.1:8081/0"},
    {ServiceKind::nginx, "nginx", "nginx-light", "http://127.0.0.1:8081"},
}};

// The table is indexed by ServiceKind.
constexpr bool in_kind_order() {
    for (std::size_t i = 0; i < k_kinds.size(); ++i) {
        if (static_cast<std::size_t>(k_kinds[i].kind) != i)
            return false;
    }
    return true;
}
static_assert(in_kind_order(), "k_kinds must list every ServiceKind in order");

const KindRow& row(ServiceKind kind) {
    return k_kinds[static_cast<std::size_t>(kind)];
}

}  // namespace

const char* service_kind_name(ServiceKind kind) {
    return row(kind).name;
}

std::optional<ServiceKind> service_kind_from_name(std::string_view name) {
    for (const KindRow& kind : k_kinds) {
        if (name == kind.name)
            return kind.kind;
    }
    return std::nullopt;
}

std::vector<std::string> service_kind_names() {
    std::vector<std::string> names;
    for (const KindRow& kind : k_kinds)
        names.emplace_back(kind.name);
    return names;
}

const char* service_kind_package(ServiceKind kind) {
    return row(kind).package;
}

std::map<std::string, std::string> service_variable_examples(std::optional<ServiceKind> kind) {
    std::map<std::string, std::string> examples{{"port", "8081"}, {"host", "127.0.0.1"}};
    if (!kind)
        return examples;
    examples["url"] = row(*kind).example_url;
    if (*kind == ServiceKind::postgres) {
        examples["user"] = "benchctl";
        examples["password"] = "benchctl";
        examples["database"] = "postgres";
    }
    return examples;
}

}  // namespace benchctl
