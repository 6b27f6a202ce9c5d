#pragma once

#include <string>
#include <vector>

namespace benchctl {

// CPU affinity lists as taskset -c and cpuset write them: "0", "1-3", "0,2-3".

// The CPUs of `text`, ascending, each once. Throws UserError naming `where` for anything else
// (an empty list, a reversed range "3-1", a number above 4095, stray characters).
std::vector<unsigned> parse_cpu_list(const std::string& text, const std::string& where);

// `cpus` (ascending) written back with ranges: {0, 1, 2, 5} -> "0-2,5"; "" for none.
std::string format_cpu_list(const std::vector<unsigned>& cpus);

// The CPUs this process may run on (sched_getaffinity: a container's cpuset, a taskset around
// benchctl), ascending.
std::vector<unsigned> usable_cpus();

// The first CPU of `cpus` this process may not run on, or -1 when it may run on all of them.
long first_unusable_cpu(const std::vector<unsigned>& cpus);

// Pins the calling thread to `cpus` (sched_setaffinity on the thread). Returns false when the
// kernel refuses (none of them usable); nothing happens for an empty list.
bool pin_current_thread(const std::vector<unsigned>& cpus);

}  // namespace benchctl
