#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace benchctl {

// One process as /proc/<pid>/stat shows it (proc(5)). Times are in clock ticks
// (sysconf(_SC_CLK_TCK)); start_ticks counts from boot and, with pid, identifies a process even
// after its pid number is reused.
struct ProcEntry {
    pid_t pid = 0;
    pid_t ppid = 0;
    pid_t pgid = 0;
    pid_t sid = 0;
    char state = '?';               // 'R', 'S', 'Z' (zombie: exited, not yet reaped) ...
    std::uint64_t start_ticks = 0;  // field 22
    std::uint64_t cpu_ticks = 0;    // utime + stime, fields 14 and 15, all threads
    bool is_zombie() const { return state == 'Z' || state == 'X'; }
};

// The process `pid`, or nullopt when it does not exist (any more).
std::optional<ProcEntry> read_proc_entry(pid_t pid);

// Every process visible in /proc (thread group leaders only), in no particular order. Processes
// that end while the table is read are left out.
std::vector<ProcEntry> read_proc_table();

// Resident memory of `pid` in bytes (/proc/<pid>/statm "resident" times the page size), or
// nullopt when the process is gone.
std::optional<std::uint64_t> read_rss_bytes(pid_t pid);

// Whether the environment `pid` was started with (/proc/<pid>/environ) holds exactly `entry`
// ("NAME=value"). False when it cannot be read.
bool environ_contains(pid_t pid, std::string_view entry);

// The current time in the clock ticks that ProcEntry::start_ticks uses (CLOCK_BOOTTIME).
std::uint64_t boot_clock_ticks();

// Clock ticks per second (sysconf(_SC_CLK_TCK)).
long clock_ticks_per_second();

}  // namespace benchctl
