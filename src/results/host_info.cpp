#include "results/host_info.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "util/json_field.hpp"

namespace benchctl {

namespace {

// The value after "key:" on the first line of a /proc file that starts with key.
std::string proc_value(const char* path, const std::string& key) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) != 0)
            continue;
        auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        return value;
    }
    return "";
}

}  // namespace

HostInfo probe_host() {
    HostInfo host;
    char name[256] = {};
    if (gethostname(name, sizeof(name) - 1) == 0)
        host.hostname = name;
    host.cpu_model = proc_value("/proc/cpuinfo", "model name");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    host.cores = cores > 0 ? static_cast<unsigned>(cores) : 0;
    std::string mem_kib = proc_value("/proc/meminfo", "MemTotal");  // "24576000 kB"
    if (!mem_kib.empty())
        host.memory_bytes = std::stoull(mem_kib) * 1024;
    utsname uts{};
    if (uname(&uts) == 0) {
        host.kernel = std::string(uts.sysname) + " " + uts.release + " " + uts.machine;
    }
    return host;
}

nlohmann::json to_json(const HostInfo& host) {
    return {{"hostname", host.hostname},
            {"cpu_model", host.cpu_model},
            {"cores", host.cores},
            {"memory_bytes", host.memory_bytes},
            {"kernel", host.kernel}};
}

HostInfo host_info_from_json(const JsonField& field) {
    return {field.get_or("hostname", std::string()), field.get_or("cpu_model", std::string()),
            field.get_or("cores", 0u), field.get_or("memory_bytes", std::uint64_t{0}),
            field.get_or("kernel", std::string())};
}

}  // namespace benchctl
