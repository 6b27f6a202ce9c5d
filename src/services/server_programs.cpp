#include "services/server_programs.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <vector>

#include "util/error.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_debian_postgres_root = "/usr/lib/postgresql";

bool executable(const fs::path& path) {
    std::error_code error;
    return fs::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

// `program` on the PATH, then in the extra directories (a user's PATH often lacks /usr/sbin).
std::optional<std::string> find_program(const std::string& program, const ProgramSearch& search) {
    std::vector<std::string> directories;
    std::istringstream parts(search.path);
    for (std::string directory; std::getline(parts, directory, ':');)
        directories.push_back(directory.empty() ? "." : directory);
    directories.insert(directories.end(), search.extra.begin(), search.extra.end());
    for (const std::string& directory : directories) {
        fs::path candidate = fs::path(directory) / program;
        if (executable(candidate))
            return candidate.string();
    }
    return std::nullopt;
}

// Debian installs each major version in /usr/lib/postgresql/<version>/bin; the newest wins.
std::optional<fs::path> newest_debian_postgres(const std::string& root) {
    std::vector<std::pair<double, fs::path>> versions;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(root, error)) {
        fs::path bin = entry.path() / "bin";
        if (!executable(bin / "initdb") || !executable(bin / "postgres"))
            continue;
        char* end = nullptr;
        std::string name = entry.path().filename().string();
        double version = std::strtod(name.c_str(), &end);
        if (end != name.c_str())
            versions.emplace_back(version, bin);
    }
    if (versions.empty())
        return std::nullopt;
    return std::max_element(versions.begin(), versions.end())->second;
}

[[noreturn]] void missing(ServiceKind kind, const std::string& what) {
    const char* package = service_kind_package(kind);
    throw UserError(fmt::format("{} is not installed: {}", service_kind_name(kind), what), "",
                    fmt::format("install the Debian package {} (apt-get install {}, or "
                                "scripts/install-deps.sh)",
                                package, package));
}

ServerPrograms postgres_programs(const ProgramSearch& search) {
    ServerPrograms programs;
    std::optional<fs::path> bin = newest_debian_postgres(search.postgres_root);
    if (!bin) {
        std::optional<std::string> initdb = find_program("initdb", search);
        if (!initdb) {
            missing(
                ServiceKind::postgres,
                fmt::format("no initdb in {}/<version>/bin nor on the PATH", search.postgres_root));
        }
        bin = fs::path(*initdb).parent_path();
    }
    for (const char* program : {"initdb", "postgres", "createdb"}) {
        if (executable(*bin / program)) {
            programs.paths[program] = (*bin / program).string();
        } else if (std::optional<std::string> found = find_program(program, search)) {
            programs.paths[program] = *found;
        } else {
            missing(ServiceKind::postgres,
                    fmt::format("no {} in {} nor on the PATH", program, bin->string()));
        }
    }
    return programs;
}

}  // namespace

ProgramSearch ProgramSearch::from_environment() {
    const char* path = std::getenv("PATH");
    return {path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin",
            k_debian_postgres_root,
            {"/usr/local/sbin", "/usr/sbin", "/sbin"}};
}

ServerPrograms find_server_programs(ServiceKind kind, const ProgramSearch& search) {
    switch (kind) {
        case ServiceKind::postgres:
            return postgres_programs(search);
        case ServiceKind::redis:
            if (std::optional<std::string> found = find_program("redis-server", search))
                return ServerPrograms{{{"redis-server", *found}}};
            missing(kind, fmt::format("no redis-server on the PATH nor in {}",
                                      fmt::join(search.extra, ", ")));
        case ServiceKind::nginx:
            if (std::optional<std::string> found = find_program("nginx", search))
                return ServerPrograms{{{"nginx", *found}}};
            missing(kind,
                    fmt::format("no nginx on the PATH nor in {}", fmt::join(search.extra, ", ")));
    }
    missing(kind, "unknown kind");
}

}  // namespace benchctl
