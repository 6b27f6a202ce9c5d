#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace benchctl {

// A cgroup v2 group holding every process of one process tree. Membership is kept by the kernel:
// a process cannot leave it by forking, setsid(), a double fork or an emptied environment, so
// listing, killing (cgroup.kill, one write for the whole group) and accounting CPU time
// (cpu.stat, every process that ever ran in it, exited ones included) need no guessing.
class Cgroup {
  public:
    // Creates a new, empty group as a child of benchctl's own cgroup v2 group
    // (/proc/self/cgroup "0::<path>", under the cgroup2 mount found in /proc/self/mountinfo).
    // Returns nullopt, with the reason in `why_not` when given, when cgroup v2 is not mounted,
    // the child cannot be created (not root and not delegated), the kernel has no cgroup.kill
    // (before Linux 5.14), or BENCHCTL_NO_CGROUP is set in the environment (to use the fallback
    // on purpose). Never throws.
    static std::optional<Cgroup> create(std::string* why_not = nullptr);

    Cgroup(Cgroup&& other) noexcept;
    Cgroup& operator=(Cgroup&& other) noexcept;
    Cgroup(const Cgroup&) = delete;
    Cgroup& operator=(const Cgroup&) = delete;
    // Closes its descriptors and removes the directory (rmdir), retrying for up to a second while
    // processes that were just killed leave it. A group that still holds processes stays.
    ~Cgroup();

    // The group's directory, "/sys/fs/cgroup/.../benchctl-<pid>-<n>".
    const std::string& path() const { return m_path; }

    // An open, close-on-exec descriptor on cgroup.procs: a child writes "0" to it to join the
    // group before it execs. Owned by this object.
    int procs_fd() const { return m_procs_fd; }

    // An open, close-on-exec descriptor on cgroup.kill: writing "1" SIGKILLs every process in
    // the group at once. Owned by this object.
    int kill_fd() const { return m_kill_fd; }

    // The processes in the group now (cgroup.procs; zombies have already left it).
    std::vector<pid_t> pids() const;

    // SIGKILLs every process in the group, forks in flight included (cgroup.kill). True when the
    // kernel took the request.
    bool kill() const;

    // CPU time used by every process that ever ran in the group (cpu.stat usage_usec), or
    // nullopt when it cannot be read.
    std::optional<std::uint64_t> cpu_usage_usec() const;

    // Removes the directory; true when it is gone (or was). Fails while processes remain.
    bool remove();

  private:
    Cgroup(std::string path, int procs_fd, int kill_fd);
    void close_fds();

    std::string m_path;
    int m_procs_fd = -1;
    int m_kill_fd = -1;
    bool m_removed = false;
};

// Where benchctl's own cgroup v2 group is, as a directory: the cgroup2 mount point joined with
// the path of /proc/self/cgroup's "0::" line. nullopt without a cgroup2 mount that shows it.
// Pure function of the two files' text, for tests.
std::optional<std::string> own_cgroup_directory(const std::string& mountinfo,
                                                const std::string& proc_self_cgroup);

}  // namespace benchctl
