#pragma once

// Fakes of the runner's seams (run_environment.hpp): a clock that advances only when slept on, an
// in-memory disk that can fill up, a launcher whose targets are scripts, a load client that
// returns canned results, and an observer that keeps what it heard. Every fake appends what
// happens to one shared event log, so a test states the order of starts, loads, sleeps, stops
// and writes as a list of lines. Nothing here starts a process, opens a socket or touches a file.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runner/matrix_runner.hpp"
#include "runner/run_environment.hpp"
#include "runner/run_observer.hpp"

namespace benchctl::testing {

using namespace std::chrono_literals;

// What happened, in order: "start server-a", "load /a", "stop server-a TERM", "sleep 2s" ...
struct EventLog {
    std::vector<std::string> lines;  // read directly only once the run has returned
    // Called from the run's thread and from the fake load's thread, hence the lock.
    void add(std::string line) {
        std::lock_guard lock(mutex);
        lines.push_back(std::move(line));
    }
    // The lines that start with one of `prefixes`, in order.
    std::vector<std::string> only(const std::vector<std::string>& prefixes) const;
    mutable std::mutex mutex;
};

class FakeClock final : public Clock {
  public:
    explicit FakeClock(EventLog& log) : m_log(log) {}
    TimePoint now() override { return m_now; }
    void sleep_until(TimePoint when) override;
    std::string utc_timestamp() override;
    // Seconds since the fake epoch.
    double elapsed() const { return std::chrono::duration<double>(m_now - TimePoint{}).count(); }
    // Called after every sleep, with the new time: a test's way to interrupt "while" sleeping.
    std::function<void(double elapsed)> on_sleep;

  private:
    EventLog& m_log;
    TimePoint m_now{};
};

// Files in memory. `space` bytes may be written in all (the contents of every file count);
// a write beyond it fails as a full disk does, leaving the old file.
class FakeDisk final : public DiskInterface {
  public:
    explicit FakeDisk(EventLog& log) : m_log(log) {}
    bool exists(const std::string& path) override;
    bool is_file(const std::string& path) override { return m_files.count(path) != 0; }
    void make_directories(const std::string& path) override;
    void write_file(const std::string& path, std::string_view content, FileSync sync) override;
    void sync(const std::string&) override {}
    std::string read_file(const std::string& path, std::string_view where) override;
    void rename(const std::string& from, const std::string& to) override;
    std::unique_ptr<HeldLock> try_lock(const std::string& path, const std::string& holder) override;
    bool is_locked(const std::string& path) override { return m_locked.count(path) != 0; }

    const std::string& file(const std::string& path) const { return m_files.at(path); }
    bool has(const std::string& path) const { return m_files.count(path) != 0; }
    void put(const std::string& path, std::string content) { m_files[path] = std::move(content); }
    std::size_t space = static_cast<std::size_t>(-1);
    // Paths (suffixes) whose writes fail with "No space left on device" whatever the space.
    std::vector<std::string> full_for;

  private:
    friend class FakeHeldLock;
    std::size_t used() const;
    EventLog& m_log;
    std::map<std::string, std::string> m_files;
    std::set<std::string> m_directories;
    std::set<std::string> m_locked;
};

// How one scripted target behaves; keyed by its command's first word.
struct TargetScript {
    std::optional<std::string> start_error;  // start() throws UserError with this
    bool ready = true;
    std::string not_ready_reason = "not ready after 30s (TCP connect: connection refused)";
    // The root exits (code 3) once this many poll_exit() calls were made after ready; nullopt:
    // never on its own.
    std::optional<int> exit_after_polls;
    // The tree's CPU time at a fake time, for the settle step; default: idle.
    std::function<std::chrono::microseconds(double elapsed)> cpu;
    // A one-shot command (a setup step): its root exits with this code at the first poll_exit(),
    // ready or not; nullopt: it runs until stopped (or exit_after_polls).
    std::optional<int> exit_code;
    // What its log holds (log_tail of its log_path); "tail of <path>" when empty.
    std::string output;
};

class FakeLauncher final : public TargetLauncher {
  public:
    FakeLauncher(EventLog& log, FakeClock& clock) : m_log(log), m_clock(clock) {}
    std::uint16_t free_port() override { return m_next_port++; }
    std::unique_ptr<RunningTarget> start(const LaunchSpec& spec) override;
    std::string log_tail(const std::string& path, unsigned) override;
    std::size_t usable_cpu_count() override { return cpus; }

    std::map<std::string, TargetScript> scripts;  // by argv[0]
    std::size_t cpus = 16;
    std::vector<LaunchSpec> started;
    int live = 0;  // started and not yet stopped or destroyed

  private:
    EventLog& m_log;
    FakeClock& m_clock;
    std::uint16_t m_next_port = 20000;
    std::map<std::string, std::string> m_outputs;  // log path -> scripted output
};

// HTTP exchanges: a canned reply per "METHOD /path" (the request line's target), or 404 when
// none is scripted; a reply without `raw` gets one made of its status and body.
class FakeHttp final : public HttpClient {
  public:
    explicit FakeHttp(EventLog& log) : m_log(log) {}
    HttpReply exchange(const Url& url, const std::string& request, bool expect_body,
                       std::chrono::nanoseconds timeout, const std::atomic<bool>& cancel) override;
    std::map<std::string, HttpReply> replies;  // by "POST /workers"
    std::vector<std::string> requests;         // the bytes sent, in order

  private:
    EventLog& m_log;
};

// The load: a canned result per URL path, or `behaviour` when set.
class FakeLoad final : public LoadDriver {
  public:
    explicit FakeLoad(EventLog& log) : m_log(log) {}
    LoadResult run(const LoadSettings& settings, const StopSignal& stop,
                   LoadProgress* progress) override;
    // Called instead of the canned result; may block until `stop` is requested.
    using Behaviour = std::function<LoadResult(const LoadSettings&, const StopSignal&)>;
    Behaviour behaviour;
    std::vector<LoadSettings> runs;

  private:
    EventLog& m_log;
};

// A result of `completed` requests spread evenly over `seconds` whole seconds.
LoadResult steady_result(std::uint64_t completed, unsigned seconds);

// A load behaviour that runs the load of `path` (every load when nullopt) until the run stops
// it (the target or a companion died under it, an interrupt), and any other at once; each
// returns steady_result(100, 1).
FakeLoad::Behaviour held_until_stopped(std::optional<std::string> path = std::nullopt);

// A load behaviour that interrupts the run twice through `control` (the second skips the stop's
// grace), then runs until stopped; returns steady_result(10, 1), marked interrupted.
FakeLoad::Behaviour interrupted_twice(RunControl& control);

class RecordingObserver final : public RunObserver {
  public:
    explicit RecordingObserver(EventLog& log) : m_log(log) {}
    void on_run_start(const std::string&, unsigned total, unsigned skipped) override;
    void on_cell_start(unsigned index, unsigned total, const std::string& label) override;
    void on_cell_progress(double, double, std::uint64_t, double, std::uint64_t) override {}
    void on_cell_end(unsigned index, unsigned total, const CellRecord& record) override;
    void on_note(const std::string& text) override;
    std::vector<std::string> notes;
    std::vector<CellRecord> records;

  private:
    EventLog& m_log;
};

// A whole fake world and a matrix to run in it.
struct FakeWorld {
    EventLog log;
    FakeClock clock{log};
    FakeDisk disk{log};
    FakeLauncher launcher{log, clock};
    FakeLoad load{log};
    RecordingObserver observer{log};
    FakeHttp http{log};
    RunControl control;
    RunEnvironment env{launcher, load, clock, disk, http};

    // Runs `matrix` into "runs/r" (or resumes it).
    RunSummary run(const Matrix& matrix, RunOptions options = {});
    // The manifest as last written.
    RunManifest manifest(const std::string& dir = "runs/r") const;
    // A cell document as written.
    CellRecord cell(const std::string& relative, const std::string& dir = "runs/r") const;
};

// A matrix from YAML text (load_matrix_text), as if in "m.yaml".
Matrix matrix_from(const std::string& yaml);

}  // namespace benchctl::testing
