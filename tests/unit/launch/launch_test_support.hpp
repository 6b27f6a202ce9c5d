#pragma once

// Helpers shared by the launch stage's tests: a scratch directory and waiting for a condition.

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "launch/process_tree.hpp"

namespace benchctl::testing {

// A fresh directory under /tmp, removed with everything in it at the end of the test.
class ScratchDir {
  public:
    ScratchDir() {
        std::string pattern = "/tmp/benchctl-launch-XXXXXX";
        m_path = mkdtemp(pattern.data());
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

  private:
    std::string m_path;
};

inline std::string read_text(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// Polls `condition` every 10 ms until it holds or `limit` passes; returns its last value.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

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
