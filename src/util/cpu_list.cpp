#include "util/cpu_list.hpp"

#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <cstdlib>

#include "util/error.hpp"

namespace benchctl {

namespace {

constexpr unsigned k_max_cpu = 4095;  // what a cpu_set_t of 4096 bits can name

constexpr const char* k_hint = "write CPUs as taskset -c does: 0, 1-3 or 0,2-3";

unsigned parse_cpu(const std::string& text, const std::string& list, const std::string& where) {
    if (text.empty() || text.size() > 4 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        throw UserError(fmt::format("malformed CPU list '{}'", list), where, k_hint);
    }
    const unsigned cpu = static_cast<unsigned>(std::strtoul(text.c_str(), nullptr, 10));
    if (cpu > k_max_cpu) {
        throw UserError(fmt::format("CPU {} in '{}' is out of range", cpu, list), where,
                        fmt::format("CPUs are numbered 0 to {} at most", k_max_cpu));
    }
    return cpu;
}

}  // namespace

std::vector<unsigned> parse_cpu_list(const std::string& text, const std::string& where) {
    std::vector<unsigned> cpus;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string part = text.substr(start, comma - start);
        const std::size_t dash = part.find('-');
        const unsigned first = parse_cpu(part.substr(0, dash), text, where);
        const unsigned last =
            dash == std::string::npos ? first : parse_cpu(part.substr(dash + 1), text, where);
        if (last < first) {
            throw UserError(fmt::format("the range '{}' in '{}' runs backwards", part, text), where,
                            k_hint);
        }
        for (unsigned cpu = first; cpu <= last; ++cpu)
            cpus.push_back(cpu);
        start = comma + 1;
    }
    std::sort(cpus.begin(), cpus.end());
    cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
    return cpus;
}

std::string format_cpu_list(const std::vector<unsigned>& cpus) {
    std::string text;
    for (std::size_t i = 0; i < cpus.size();) {
        std::size_t j = i;
        while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1)
            ++j;
        if (!text.empty())
            text += ',';
        text += j == i ? fmt::format("{}", cpus[i]) : fmt::format("{}-{}", cpus[i], cpus[j]);
        i = j + 1;
    }
    return text;
}

std::vector<unsigned> usable_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<unsigned> cpus;
    if (sched_getaffinity(0, sizeof(set), &set) != 0)
        return cpus;
    for (unsigned cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &set))
            cpus.push_back(cpu);
    }
    return cpus;
}

long first_unusable_cpu(const std::vector<unsigned>& cpus) {
    const std::vector<unsigned> usable = usable_cpus();
    for (unsigned cpu : cpus) {
        if (!std::binary_search(usable.begin(), usable.end(), cpu))
            return static_cast<long>(cpu);
    }
    return -1;
}

bool pin_current_thread(const std::vector<unsigned>& cpus) {
    if (cpus.empty())
        return true;
    cpu_set_t set;
    CPU_ZERO(&set);
    for (unsigned cpu : cpus) {
        if (cpu < CPU_SETSIZE)
            CPU_SET(cpu, &set);
    }
    return sched_setaffinity(0, sizeof(set), &set) == 0;
}

}  // namespace benchctl
