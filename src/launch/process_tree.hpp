#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "launch/process_user.hpp"

namespace benchctl {

// A concrete command to start: every variable already substituted.
struct LaunchSpec {
    std::vector<std::string> argv;           // used when shell is empty
    std::optional<std::string> shell;        // run as /bin/sh -c <shell>
    std::string cwd;                         // "" = benchctl's own working directory
    std::map<std::string, std::string> env;  // added to (and overriding) benchctl's environment
    std::string log_path;                    // stdout and stderr, appended
    // Runs as this account (benchctl must be root to switch); nullopt = as benchctl. The log is
    // opened by benchctl's side, so the account need not be able to write it.
    std::optional<ProcessUser> user;
    std::vector<unsigned> cpus;  // CPU affinity of the root (inherited by its children); empty: any
};

// How a process ended.
struct ExitStatus {
    int code = 0;                   // exit code when it exited
    int signal = 0;                 // the signal that killed it, or 0
    std::string to_string() const;  // "exited with code 3", "killed by SIGKILL"
};

// What stop() had to do.
struct StopReport {
    bool graceful = true;  // everything ended within the grace period after the signal
    unsigned killed = 0;   // processes that needed SIGKILL
    std::optional<ExitStatus> root_status;
};

// Makes benchctl a child subreaper (PR_SET_CHILD_SUBREAPER): should a tree's supervisor die, its
// orphans are re-parented to benchctl instead of init, and the newest running tree takes them as
// members. Call once at start-up, before starting anything.
void become_child_subreaper();

// Marks `pid`, a child of benchctl that belongs to no tree (an agent's carrier: a local agent, an
// ssh client), as never a member of one. The newest tree takes benchctl's children started since
// its supervisor as its adopted orphans; a long-lived child of another kind started in the same
// clock tick (10 ms) would pass for one and be stopped with the tree. Call it right after the
// fork; forget_foreign_child once the child has been reaped, since its pid may then be reused.
void mark_foreign_child(pid_t pid);
void forget_foreign_child(pid_t pid);

// How a tree's membership is known (recorded in each cell as target.process_tracking).
enum class ProcessTracking {
    cgroup,  // a cgroup v2 group of its own: exact, killed with cgroup.kill
    scan,    // /proc scans: the supervisor's descendants, the process group, the tag
};

// "cgroup" or "scan".
const char* process_tracking_name(ProcessTracking tracking);

// A started process and everything it spawns. Each tree has a supervisor: a small process forked
// from benchctl that forks the root, is a child subreaper (every orphan of the tree becomes its
// child, however it daemonised: setsid, double fork, emptied environment), and SIGKILLs the
// whole tree when benchctl closes its pipe or dies, even by SIGKILL. Where the kernel allows, the
// tree also runs in a cgroup v2 group of its own (ProcessTracking::cgroup). The root runs in a new
// process group. Destroying a still-running tree stops it without grace: no process outlives its
// ProcessTree, nor benchctl. poll_exit(), members() and cpu_time() may run on different threads
// at the same time.
class ProcessTree {
  public:
    // Starts spec (fork + exec, no shell unless spec.shell). Throws UserError naming the command
    // when it cannot be started (missing program, cwd or log directory, no process left under
    // the limit): exec failures are reported through a close-on-exec pipe, not as a process that
    // exits 127.
    static ProcessTree start(const LaunchSpec& spec);

    ProcessTree(ProcessTree&&) noexcept;
    ProcessTree& operator=(ProcessTree&&) noexcept;
    ~ProcessTree();

    pid_t root() const;

    // The size of spec.log_path when the tree started: what the tree writes comes after it.
    std::uint64_t log_start_offset() const;

    // How membership is tracked for this tree.
    ProcessTracking tracking() const;

    // Non-blocking: the root's exit status once it has exited (reaped), else nullopt.
    std::optional<ExitStatus> poll_exit();

    // Every live process of the tree: its cgroup, the supervisor's descendants, the process
    // group, tagged processes, and (for the newest tree) orphans re-parented to benchctl. Read
    // from /proc. Empty once stop() returned.
    std::vector<pid_t> members() const;

    // CPU time (user + system) used so far by every process that ever ran in the tree, exited
    // ones included: the cgroup's cpu.stat. nullopt without a cgroup.
    std::optional<std::chrono::microseconds> cpu_time() const;

    // Sends `signal` to every member, waits up to `grace` for all to end, then SIGKILLs the rest
    // (the cgroup at once where there is one) and has them reaped; finally the supervisor sweeps
    // whatever is left and exits. Returns once no member is left, or after 10 s of SIGKILLs for
    // one stuck in the kernel. Idempotent: later calls return the first report. Not to be called
    // while another thread uses the tree. When `cut_short` becomes true during the grace period
    // (a second Ctrl-C), the grace ends at once.
    StopReport stop(int signal, std::chrono::nanoseconds grace,
                    const std::atomic<bool>* cut_short = nullptr);

  private:
    struct State;
    explicit ProcessTree(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

}  // namespace benchctl
