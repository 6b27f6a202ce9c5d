#include "launch/process_tree.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "launch/cgroup.hpp"
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
// The supervisor's own sweep gives up after 10 s as well, then removes the cgroup (1 s).
constexpr auto k_supervisor_limit = 12s;
constexpr const char* k_tag_name = "BENCHCTL_TREE";
// A root whose start time could not be read (it ended at once): no process holding its pid is it.
constexpr std::uint64_t k_unknown_start = std::numeric_limits<std::uint64_t>::max();

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

// The trees of this process that are still running, oldest first: their supervisors are never
// members of any tree, and the newest one takes the orphans re-parented to benchctl.
class LiveTrees {
  public:
    void add(const void* tree, pid_t supervisor) {
        std::lock_guard lock(m_mutex);
        m_trees.emplace_back(tree, supervisor);
    }
    void remove(const void* tree) {
        std::lock_guard lock(m_mutex);
        std::erase_if(m_trees, [tree](const auto& entry) { return entry.first == tree; });
    }
    void mark_foreign(pid_t pid) {
        std::lock_guard lock(m_mutex);
        m_foreign.insert(pid);
    }
    void forget_foreign(pid_t pid) {
        std::lock_guard lock(m_mutex);
        m_foreign.erase(pid);
    }
    // Every live supervisor and foreign child (never members), and whether `tree` is the newest
    // live tree.
    std::pair<std::set<pid_t>, bool> view(const void* tree) const {
        std::lock_guard lock(m_mutex);
        std::set<pid_t> excluded = m_foreign;
        for (const auto& entry : m_trees)
            excluded.insert(entry.second);
        return {excluded, !m_trees.empty() && m_trees.back().first == tree};
    }

  private:
    mutable std::mutex m_mutex;
    std::vector<std::pair<const void*, pid_t>> m_trees;
    std::set<pid_t> m_foreign;  // mark_foreign_child
};

LiveTrees& live_trees() {
    static LiveTrees trees;
    return trees;
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

const char* process_tracking_name(ProcessTracking tracking) {
    return tracking == ProcessTracking::cgroup ? "cgroup" : "scan";
}

void mark_foreign_child(pid_t pid) {
    live_trees().mark_foreign(pid);
}

void forget_foreign_child(pid_t pid) {
    live_trees().forget_foreign(pid);
}

void become_child_subreaper() {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        throw UserError(fmt::format("cannot become a child subreaper: {}", std::strerror(errno)),
                        "", "benchctl needs Linux 3.4 or later");
    }
}

struct ProcessTree::State {
    SupervisedRoot supervised;
    std::uint64_t supervisor_start_ticks = 0;
    std::uint64_t root_start_ticks = k_unknown_start;
    std::string tag_entry;
    std::uint64_t log_start_offset = 0;
    std::optional<Cgroup> cgroup;  // until stop() ended
    ProcessTracking tracking = ProcessTracking::scan;

    // Guards everything below: poll_exit() (the runner) and members() (the sampler) run on
    // different threads.
    mutable std::mutex mutex;
    std::optional<ExitStatus> root_status;  // set once the root is reaped
    bool events_ended = false;              // the supervisor closed its pipe (finished or died)
    bool finished = false;                  // the supervisor reported the tree gone
    bool supervisor_reaped = false;
    unsigned swept = 0;                            // processes the supervisor's sweep killed
    mutable std::map<pid_t, std::uint64_t> known;  // every member ever seen: pid -> start_ticks
    std::optional<StopReport> stopped;

    ~State();
    // Reads what the supervisor said, waiting up to `timeout`. Caller holds the mutex.
    void read_events_locked(std::chrono::milliseconds timeout);
    // Sets root_status when the supervisor can no longer say it: it died, and its death signal
    // killed the root. Caller holds the mutex.
    void settle_orphaned_root_locked(const std::vector<ProcEntry>& members);
    // Reaps members that ended as zombie children of benchctl (orphans re-parented to it after
    // their supervisor died). Caller holds the mutex.
    void reap_adopted_locked(const std::vector<ProcEntry>& members);
    // Every member, zombies included, recorded in `known`.
    std::vector<ProcEntry> scan() const;
    TreeIdentity identity() const;
    // Sends `signal` to the group and to each living member outside it; returns how many
    // living members there were.
    unsigned signal_all(const std::vector<ProcEntry>& members, int signal) const;
    // Reaps what ended and returns the members still alive.
    std::vector<ProcEntry> reap_and_list();
    // Closes the control pipe, waits for the supervisor's sweep and reaps it.
    void end_supervisor();
};

ProcessTree::State::~State() {
    if (supervised.control >= 0)
        close(supervised.control);
    if (supervised.events >= 0)
        close(supervised.events);
    live_trees().remove(this);
}

void ProcessTree::State::read_events_locked(std::chrono::milliseconds timeout) {
    while (!events_ended) {
        auto event = read_supervisor_event(supervised.events, timeout, events_ended);
        if (!event)
            return;
        if (event->kind == SupervisorEventKind::root_exited && !root_status)
            root_status = decode_wait_status(event->value);
        if (event->kind == SupervisorEventKind::finished) {
            finished = true;
            swept = static_cast<unsigned>(std::max(0, event->value));
            return;
        }
    }
}

void ProcessTree::State::settle_orphaned_root_locked(const std::vector<ProcEntry>& members) {
    if (root_status || !events_ended || finished)
        return;
    bool root_alive = std::any_of(members.begin(), members.end(), [this](const ProcEntry& e) {
        return e.pid == supervised.root && !e.is_zombie();
    });
    // The root's PR_SET_PDEATHSIG is SIGKILL, tied to its supervisor.
    if (!root_alive)
        root_status = ExitStatus{0, SIGKILL};
}

void ProcessTree::State::reap_adopted_locked(const std::vector<ProcEntry>& members) {
    pid_t self = getpid();
    for (const ProcEntry& entry : members) {
        if (!entry.is_zombie() || entry.ppid != self)
            continue;
        // The entry was just read with this start time, and only its parent (benchctl) can
        // make the zombie go away, so the pid cannot have been reused in between.
        int status = 0;
        pid_t reaped;
        do {
            reaped = waitpid(entry.pid, &status, WNOHANG);
        } while (reaped < 0 && errno == EINTR);
        if (reaped == supervised.root && !root_status)
            root_status = decode_wait_status(status);
        known.erase(entry.pid);
    }
}

TreeIdentity ProcessTree::State::identity() const {
    TreeIdentity identity;
    identity.root = supervised.root;
    identity.root_start_ticks = root_start_ticks;
    identity.since_ticks = supervisor_start_ticks;
    auto [supervisors, newest] = live_trees().view(this);
    identity.excluded = std::move(supervisors);
    if (!supervisor_reaped)
        identity.parents.insert(supervised.supervisor);
    if (newest)
        identity.parents.insert(getpid());
    // With a cgroup the kernel's list already holds every tagged process; reading the
    // environment of every other process on the machine would only cost time during the load.
    if (!cgroup)
        identity.has_tag = [this](pid_t pid) { return environ_contains(pid, tag_entry); };
    return identity;
}

std::vector<ProcEntry> ProcessTree::State::scan() const {
    TreeIdentity tree = identity();
    {
        std::lock_guard lock(mutex);
        tree.known = known;
    }
    std::vector<ProcEntry> table = read_proc_table();
    std::vector<ProcEntry> members = find_tree_members(table, tree);
    if (cgroup) {
        // The kernel's list is exact; the scan adds what lies outside the group (adopted orphans).
        std::set<pid_t> listed;
        for (const ProcEntry& entry : members)
            listed.insert(entry.pid);
        for (pid_t pid : cgroup->pids()) {
            if (listed.count(pid) == 0 && pid != supervised.supervisor) {
                if (auto entry = read_proc_entry(pid))
                    members.push_back(*entry);
            }
        }
    }
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
        if (entry.pgid == supervised.root) {
            group_alive = true;
        } else {
            kill(entry.pid, signal);
        }
    }
    // One kill() reaches the whole group at once, including processes forked since the scan.
    if (group_alive)
        kill(-supervised.root, signal);
    // A stopped process would hold the signal pending until continued.
    if (signal != SIGKILL && signal != SIGCONT)
        signal_all(members, SIGCONT);
    return alive;
}

std::vector<ProcEntry> ProcessTree::State::reap_and_list() {
    std::vector<ProcEntry> members = scan();
    std::vector<ProcEntry> alive;
    std::lock_guard lock(mutex);
    read_events_locked(0ms);
    reap_adopted_locked(members);
    settle_orphaned_root_locked(members);
    for (const ProcEntry& entry : members) {
        if (!entry.is_zombie())
            alive.push_back(entry);
    }
    return alive;
}

void ProcessTree::State::end_supervisor() {
    std::lock_guard lock(mutex);
    if (supervisor_reaped)
        return;
    close(supervised.control);
    supervised.control = -1;
    auto until = std::chrono::steady_clock::now() + k_supervisor_limit;
    while (!finished && !events_ended && std::chrono::steady_clock::now() < until) {
        read_events_locked(100ms);
    }
    // A supervisor that did not finish in time is stuck with its tree; ending it hands the
    // tree's last processes to benchctl (a subreaper) rather than waiting on it forever.
    if (!finished && !events_ended)
        kill(supervised.supervisor, SIGKILL);
    while (waitpid(supervised.supervisor, nullptr, 0) < 0 && errno == EINTR) {
    }
    supervisor_reaped = true;
    if (!root_status)
        root_status = ExitStatus{0, SIGKILL};
    live_trees().remove(this);
}

ProcessTree ProcessTree::start(const LaunchSpec& spec) {
    auto state = std::make_unique<State>();
    int log_fd = open_log(spec);
    struct stat info {};
    if (fstat(log_fd, &info) == 0) {
        state->log_start_offset = static_cast<std::uint64_t>(info.st_size);
    }
    state->tag_entry = make_tag_entry();
    state->cgroup = Cgroup::create();
    state->tracking = state->cgroup ? ProcessTracking::cgroup : ProcessTracking::scan;
    try {
        state->supervised = spawn_supervised(spec, state->tag_entry, log_fd,
                                             state->cgroup ? &*state->cgroup : nullptr);
    } catch (...) {
        close(log_fd);
        throw;
    }
    close(log_fd);
    live_trees().add(state.get(), state->supervised.supervisor);
    // The supervisor is benchctl's unreaped child, so its /proc entry is still there; the root
    // may already have ended and been reaped by it.
    if (auto entry = read_proc_entry(state->supervised.supervisor))
        state->supervisor_start_ticks = entry->start_ticks;
    if (auto entry = read_proc_entry(state->supervised.root);
        entry && entry->ppid == state->supervised.supervisor) {
        state->root_start_ticks = entry->start_ticks;
        state->known[entry->pid] = entry->start_ticks;
    }
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
    return m_state->supervised.root;
}

std::uint64_t ProcessTree::log_start_offset() const {
    return m_state->log_start_offset;
}

ProcessTracking ProcessTree::tracking() const {
    return m_state->tracking;
}

std::optional<ExitStatus> ProcessTree::poll_exit() {
    std::lock_guard lock(m_state->mutex);
    m_state->read_events_locked(0ms);
    if (m_state->events_ended && !m_state->root_status && !m_state->finished) {
        // The supervisor died; the root died with it unless benchctl adopted it (still alive).
        auto entry = read_proc_entry(m_state->supervised.root);
        if (!entry || entry->start_ticks != m_state->root_start_ticks || entry->is_zombie())
            m_state->settle_orphaned_root_locked({});
    }
    return m_state->root_status;
}

std::vector<pid_t> ProcessTree::members() const {
    std::vector<pid_t> pids;
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->stopped)
            return pids;
    }
    for (const ProcEntry& entry : m_state->scan()) {
        if (!entry.is_zombie())
            pids.push_back(entry.pid);
    }
    return pids;
}

std::optional<std::chrono::microseconds> ProcessTree::cpu_time() const {
    if (!m_state->cgroup)
        return std::nullopt;
    auto usage = m_state->cgroup->cpu_usage_usec();
    if (!usage)
        return std::nullopt;
    return std::chrono::microseconds(*usage);
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
        if (state.cgroup)
            state.cgroup->kill();
        state.signal_all(alive, SIGKILL);
        std::this_thread::sleep_for(k_stop_poll);
        alive = state.reap_and_list();
    }
    state.end_supervisor();
    std::lock_guard lock(state.mutex);
    report.killed = static_cast<unsigned>(killed.size()) + state.swept;
    report.graceful = report.killed == 0;
    report.root_status = state.root_status;
    state.stopped = report;
    state.cgroup.reset();
    return report;
}

}  // namespace benchctl
