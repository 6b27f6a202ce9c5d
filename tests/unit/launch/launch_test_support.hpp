#pragma once

// Helpers shared by the launch stage's tests (a scratch directory and waiting for a condition
// come from tests/unit/support).

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "eventually.hpp"
#include "launch/proc_table.hpp"
#include "launch/process_tree.hpp"
#include "scratch_dir.hpp"

namespace benchctl::testing {

// Sets an environment variable for the scope (unset again after; nullptr: leaves it unset).
class ScopedEnv {
  public:
    ScopedEnv(const char* name, const char* value) : m_name(name) {
        if (value != nullptr)
            setenv(name, value, 1);
        else
            unsetenv(name);
    }
    ~ScopedEnv() { unsetenv(m_name); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

  private:
    const char* m_name;
};

// A shell command line that starts a daemon nothing but its ancestry ties to the tree: setsid,
// an emptied environment (no tag), its parent gone. It writes "daemon <pid>" to the log.
inline std::string hidden_daemon_command() {
    return "(setsid env -i /bin/sh -c 'echo daemon $$; exec sleep 300' &)";
}

// The pid after "daemon " in the text of `path`, 0 until it is there.
inline pid_t daemon_pid_in(const std::string& path) {
    std::string text = read_text(path);
    std::size_t at = text.find("daemon ");
    if (at == std::string::npos || text.find('\n', at) == std::string::npos)
        return 0;
    return std::atoi(text.c_str() + at + 7);
}

// SIGKILLs a process at the end of the scope if it is still the same process (pid and start
// time), and reaps it if it became this process's child: a failing test leaves nothing behind.
class KillOnExit {
  public:
    KillOnExit(pid_t pid, std::uint64_t start_ticks) : m_pid(pid), m_start_ticks(start_ticks) {}
    ~KillOnExit() {
        auto entry = read_proc_entry(m_pid);
        if (!entry || entry->start_ticks != m_start_ticks)
            return;
        kill(m_pid, SIGKILL);
        eventually([&] {
            waitpid(m_pid, nullptr, WNOHANG);
            auto now = read_proc_entry(m_pid);
            return !now || now->start_ticks != m_start_ticks;
        });
    }
    KillOnExit(const KillOnExit&) = delete;
    KillOnExit& operator=(const KillOnExit&) = delete;

  private:
    pid_t m_pid;
    std::uint64_t m_start_ticks;
};

inline LaunchSpec shell_spec(const std::string& command, const std::string& log_path) {
    LaunchSpec spec;
    spec.shell = command;
    spec.log_path = log_path;
    return spec;
}

inline LaunchSpec python_spec(const std::string& code, const std::string& log_path) {
    LaunchSpec spec;
    spec.argv = {"/usr/bin/python3", "-u", "-c", code};
    spec.log_path = log_path;
    return spec;
}

// Pids of every process whose environment holds a ProcessTree tag made by this test process,
// zombies aside (their environment cannot be read): what a leak would leave behind.
inline std::vector<pid_t> processes_tagged_by_this_process() {
    std::string prefix = "BENCHCTL_TREE=" + std::to_string(getpid()) + "-";
    std::vector<pid_t> found;
    DIR* proc = opendir("/proc");
    while (dirent* item = readdir(proc)) {
        pid_t pid = std::atoi(item->d_name);
        if (pid <= 0)
            continue;
        std::string environ = read_text("/proc/" + std::to_string(pid) + "/environ");
        std::size_t at = environ.find(prefix);
        if (at != std::string::npos && (at == 0 || environ[at - 1] == '\0'))
            found.push_back(pid);
    }
    closedir(proc);
    return found;
}

}  // namespace benchctl::testing
