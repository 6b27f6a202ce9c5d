#include "matrix/host_check.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "matrix/problem_list.hpp"
#include "matrix/variables.hpp"
#include "util/cpu_list.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;

// execvp's search path when PATH is unset (glibc).
constexpr const char* k_default_path = "/bin:/usr/bin";

// A scalar's final text; nullopt when it is not a plain string or still holds run-time
// variables, which only the runner knows.
std::optional<std::string> final_text(const DocNode* node) {
    if (node == nullptr || !node->is_scalar() || node->unresolved)
        return std::nullopt;
    try {
        return substitute_variables(node->scalar, {});
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool is_executable_file(const fs::path& path) {
    std::error_code error;
    return fs::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

constexpr const char* k_now =
    "validate checks this machine as it is now, so install or build "
    "the program before validating";

// What is wrong with starting `program` from `cwd` with this PATH: a problem's what and hint,
// with an empty what when nothing is.
std::pair<std::string, std::string> why_not_found(const std::string& program, const fs::path& cwd,
                                                  const std::string& path) {
    if (program.find('/') != std::string::npos) {
        bool relative = fs::path(program).is_relative();
        fs::path file = relative ? (cwd / program).lexically_normal() : fs::path(program);
        std::string in =
            relative ? fmt::format(" (relative to the target's cwd: {})", file.string()) : "";
        std::error_code error;
        if (!fs::exists(file, error))
            return {fmt::format("program '{}' does not exist{}", program, in),
                    fmt::format("correct the path, or install it; {}", k_now)};
        if (!is_executable_file(file))
            return {fmt::format("program '{}' is not an executable file{}", program, in),
                    "make it executable (chmod +x), or name the interpreter first: "
                    "[python3, script.py, ...]"};
        return {};
    }
    std::size_t begin = 0;
    while (begin <= path.size()) {
        std::size_t colon = std::min(path.find(':', begin), path.size());
        std::string directory = path.substr(begin, colon - begin);
        // An empty entry is the current directory: the target's cwd when it starts.
        fs::path dir = directory.empty() ? cwd : fs::path(directory);
        if (dir.is_relative())
            dir = cwd / dir;
        if (is_executable_file(dir / program))
            return {};
        begin = colon + 1;
    }
    return {fmt::format("program '{}' is not on the PATH", program),
            fmt::format("install it, give its path, or add its directory to PATH; {}", k_now)};
}

}  // namespace

HostCheck::HostCheck(std::string matrix_directory) : m_directory(std::move(matrix_directory)) {}

std::optional<fs::path> HostCheck::working_directory(const DocNode& target,
                                                     ProblemList& problems) const {
    fs::path base = m_directory.empty() ? fs::path(".") : fs::path(m_directory);
    const DocNode* cwd = target.find("cwd");
    if (cwd == nullptr || cwd->kind == DocNode::Kind::null)
        return base;
    std::optional<std::string> text = final_text(cwd);
    if (!text)
        return std::nullopt;  // known at run time only
    fs::path resolved = fs::path(*text).is_absolute() ? fs::path(*text) : base / *text;
    std::error_code error;
    if (fs::is_directory(resolved, error))
        return resolved;
    problems.add(cwd->where,
                 fmt::format("cwd '{}' is not a directory ({})", *text,
                             resolved.lexically_normal().string()),
                 "a relative cwd starts at the matrix file's directory");
    return std::nullopt;
}

void HostCheck::check_cpus(const DocNode* cpus, ProblemList& problems) {
    std::optional<std::string> text = final_text(cpus);
    if (!text)
        return;
    std::vector<unsigned> list;
    try {
        list = parse_cpu_list(*text, "cpus");
    } catch (const UserError&) {
        return;  // malformed: reported by the schema check
    }
    const long unusable = first_unusable_cpu(list);
    if (unusable >= 0) {
        problems.add(
            cpus->where,
            fmt::format("CPU {} of '{}' is not available on this machine", unusable, *text),
            fmt::format("use CPUs of {} (benchctl's affinity here: the machine's CPUs, less "
                        "what a taskset or cpuset around benchctl leaves out)",
                        format_cpu_list(usable_cpus())));
    }
}

void HostCheck::check(const DocNode& target, ProblemList& problems) {
    check_cpus(target.find("cpus"), problems);
    std::optional<fs::path> cwd = working_directory(target, problems);
    if (!cwd)
        return;
    std::optional<std::string> path = std::string(k_default_path);
    if (const char* inherited = std::getenv("PATH"))
        path = inherited;
    if (const DocNode* env = target.find("env"); env != nullptr && env->is_map()) {
        if (const DocNode* own = env->find("PATH"))
            path = final_text(own);
    }
    if (!path)
        return;  // known at run time only
    for (const char* key : {"command", "version"}) {
        const DocNode* list = target.find(key);
        if (list != nullptr && list->is_list() && !list->items.empty())
            check_program(list->items.front(), *cwd, *path, problems);
    }
}

void HostCheck::check_program(const DocNode& program, const fs::path& cwd, const std::string& path,
                              ProblemList& problems) {
    std::optional<std::string> name = final_text(&program);
    if (!name || name->empty())
        return;
    auto [found, added] = m_found.emplace(cwd.string() + "\n" + path + "\n" + *name,
                                          std::pair<std::string, std::string>());
    if (added)
        found->second = why_not_found(*name, cwd, path);
    if (!found->second.first.empty())
        problems.add(program.where, found->second.first, found->second.second);
}

}  // namespace benchctl
