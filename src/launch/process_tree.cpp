#include "launch/process_tree.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "launch/proc_table.hpp"
#include "launch/spawn.hpp"
#include "launch/tree_membership.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;

constexpr auto k_stop_poll = 15ms;
// After SIGKILL a process ends as soon as the kernel gets to it; only one stuck in
// uninterruptible sleep (D state) takes longer, and waiting for it forever would hang the run.
constexpr auto k_kill_limit = 10s;
constexpr const char* k_tag_name = "BENCHCTL_TREE";

ExitStatus decode_wait_status(int status) {
    ExitStatus exit;
    if (WIFEXITED(status))
        exit.code = WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        exit.signal = WTERMSIG(status);
    return exit;
}

// A tag no other tree of this or another benchctl carries: pid, a counter and a random part.
std::string make_tag_entry() {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    return fmt::format("{}={}-{}-{:08x}", k_tag_name, getpid(), counter.fetch_add(1), random());
}

int open_log(const LaunchSpec& spec) {
    int fd = open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        std::string program = spec.shell ? "/bin/sh" : spec.argv.empty() ? "" : spec.argv[0];
        throw UserError(fmt::format("cannot start '{}': cannot open its log file '{}': {}", program,
                                    spec.log_path, std::strerror(errno)),
                        "", "check that the log directory exists and is writable");
    }
    return fd;
}

}  // namespace

std::string ExitStatus::to_string() const {
    if (signal == 0)
        return fmt::format("exited with code {}", code);
    const char* name = sigabbrev_np(signal);
    if (name == nullptr)
        return fmt::format("killed by signal {}", signal);
    return fmt::format("killed by SIG{}", name);
}

void become_child_subreaper() {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        throw UserError(fmt::format("cannot become a child subreaper: {}", std::strerror(errno)),
                        "", "benchctl needs Linux 3.4 or later");
    }
}

struct ProcessTree::State {
    pid_t root = 0;
    std::uint64_t root_start_ticks = 0;
    std::string tag_entry;
    std::uint64_t log_start_offset = 0;

    // Guards everything below: poll_exit() (the runner) and members() (the sampler) run on
    // different threads.
    mutable std::mutex mutex;
    std::optional<ExitStatus> root_status;         // set once the root is reaped
    mutable std::map<pid_t, std::uint64_t> known;  // every member ever seen: pid -> start_ticks
    std::optional<StopReport> stopped;

    // Reaps the root if it ended. Caller holds the mutex.
    void reap_root_locked();
    // Reaps members that ended as zombie children of benchctl (re-parented orphans). Caller
    // holds the mutex.
    void reap_orphans_locked(const std::vector<ProcEntry>& members);
    // Every member, zombies included, recorded in `known`.
    std::vector<ProcEntry> scan() const;
    // Sends `signal` to the group and to each living member outside it; returns how many
    // living members there were.
    unsigned signal_all(const std::vector<ProcEntry>& members, int signal) const;
    // Reaps what ended and returns the members still alive.
    std::vector<ProcEntry> reap_and_list();
};

void ProcessTree::State::reap_root_locked() {
    if (root_status)
        return;
    int status = 0;
    pid_t result;
    do {
        result = waitpid(root, &status, WNOHANG);
    } while (result < 0 && errno == EINTR);
    if (result == root)
        root_status = decode_wait_status(status);
    // ECHILD: someone else reaped it (should not happen); report it as gone.
    if (result < 0 && errno == ECHILD)
        root_status = ExitStatus{};
}

void ProcessTree::State::reap_orphans_locked(const std::vector<ProcEntry>& members) {
    pid_t self = getpid();
    for (const ProcEntry& entry : members) {
        if (entry.pid == root || !entry.is_zombie() || entry.ppid != self)
            continue;
        // The entry was just read with this start time, and only its parent (benchctl) can
        // make the zombie go away, so the pid cannot have been reused in between.
        while (waitpid(entry.pid, nullptr, WNOHANG) < 0 && errno == EINTR) {
        }
        known.erase(entry.pid);
    }
}

std::vector<ProcEntry> ProcessTree::State::scan() const {
    TreeIdentity identity;
    identity.root = root;
    identity.root_start_ticks = root_start_ticks;
    {
        std::lock_guard lock(mutex);
        identity.known = known;
    }
    identity.has_tag = [this](pid_t pid) { return environ_contains(pid, tag_entry); };
    std::vector<ProcEntry> members = find_tree_members(read_proc_table(), identity);
    std::lock_guard lock(mutex);
    std::map<pid_t, std::uint64_t> now;
    for (const ProcEntry& entry : members)
        now[entry.pid] = entry.start_ticks;
    known = std::move(now);
    return members;
}

unsigned ProcessTree::State::signal_all(const std::vector<ProcEntry>& members, int signal) const {
    unsigned alive = 0;
    bool group_alive = false;
    for (const ProcEntry& entry : members) {
        if (entry.is_zombie())
            continue;
        ++alive;
        if (entry.pgid == root) {
            group_alive = true;
        } else {
            kill(entry.pid, signal);
        }
    }
    // One kill() reaches the whole group at once, including processes forked since the scan.
    if (group_alive)
        kill(-root, signal);
    // A stopped process would hold the signal pending until continued.
    if (signal != SIGKILL && signal != SIGCONT)
        signal_all(members, SIGCONT);
    return alive;
}

std::vector<ProcEntry> ProcessTree::State::reap_and_list() {
    std::vector<ProcEntry> members = scan();
    std::vector<ProcEntry> alive;
    std::lock_guard lock(mutex);
    reap_root_locked();
    reap_orphans_locked(members);
    for (const ProcEntry& entry : members) {
        if (!entry.is_zombie())
            alive.push_back(entry);
    }
    return alive;
}

ProcessTree ProcessTree::start(const LaunchSpec& spec) {
    auto state = std::make_unique<State>();
    int log_fd = open_log(spec);
    struct stat info {};
    if (fstat(log_fd, &info) == 0) {
        state->log_start_offset = static_cast<std::uint64_t>(info.st_size);
    }
    state->tag_entry = make_tag_entry();
    try {
        state->root = spawn_process(spec, state->tag_entry, log_fd);
    } catch (...) {
        close(log_fd);
        throw;
    }
    close(log_fd);
    // The root is our unreaped child, so its /proc entry (even as a zombie) is still there.
    if (auto entry = read_proc_entry(state->root))
        state->root_start_ticks = entry->start_ticks;
    state->known[state->root] = state->root_start_ticks;
    return ProcessTree(std::move(state));
}

ProcessTree::ProcessTree(std::unique_ptr<State> state) : m_state(std::move(state)) {}
ProcessTree::ProcessTree(ProcessTree&&) noexcept = default;

ProcessTree& ProcessTree::operator=(ProcessTree&& other) noexcept {
    if (this != &other) {
        if (m_state)
            stop(SIGKILL, std::chrono::nanoseconds{0});
        m_state = std::move(other.m_state);
    }
    return *this;
}

ProcessTree::~ProcessTree() {
    if (m_state)
        stop(SIGKILL, std::chrono::nanoseconds{0});
}

pid_t ProcessTree::root() const {
    return m_state->root;
}

std::uint64_t ProcessTree::log_start_offset() const {
    return m_state->log_start_offset;
}

std::optional<ExitStatus> ProcessTree::poll_exit() {
    std::lock_guard lock(m_state->mutex);
    m_state->reap_root_locked();
    return m_state->root_status;
}

std::vector<pid_t> ProcessTree::members() const {
    std::vector<pid_t> pids;
    for (const ProcEntry& entry : m_state->scan()) {
        if (!entry.is_zombie())
            pids.push_back(entry.pid);
    }
    return pids;
}

StopReport ProcessTree::stop(int signal, std::chrono::nanoseconds grace,
                             const std::atomic<bool>* cut_short) {
    State& state = *m_state;
    if (state.stopped)
        return *state.stopped;
    StopReport report;
    auto deadline = std::chrono::steady_clock::now() + grace;
    std::vector<ProcEntry> alive = state.reap_and_list();
    if (signal != SIGKILL) {
        state.signal_all(alive, signal);
        auto hurried = [cut_short] { return cut_short != nullptr && cut_short->load(); };
        while (!alive.empty() && std::chrono::steady_clock::now() < deadline && !hurried()) {
            std::this_thread::sleep_for(k_stop_poll);
            alive = state.reap_and_list();
        }
    }
    // Everything still alive now gets SIGKILL, repeatedly: a process may fork while it dies.
    std::set<std::pair<pid_t, std::uint64_t>> killed;
    auto kill_deadline = std::chrono::steady_clock::now() + k_kill_limit;
    while (!alive.empty() && std::chrono::steady_clock::now() < kill_deadline) {
        for (const ProcEntry& entry : alive)
            killed.emplace(entry.pid, entry.start_ticks);
        state.signal_all(alive, SIGKILL);
        std::this_thread::sleep_for(k_stop_poll);
        alive = state.reap_and_list();
    }
    // The root may still be a zombie whose parent-facing status was not collected yet.
    while (!poll_exit() && std::chrono::steady_clock::now() < kill_deadline) {
        std::this_thread::sleep_for(k_stop_poll);
    }
    report.killed = static_cast<unsigned>(killed.size());
    report.graceful = killed.empty();
    report.root_status = poll_exit();
    std::lock_guard lock(state.mutex);
    state.stopped = report;
    return report;
}

}  // namespace benchctl
