#include "runner_fakes.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "matrix/matrix_loader.hpp"
#include "util/error.hpp"

namespace benchctl::testing {

namespace fs = std::filesystem;

std::vector<std::string> EventLog::only(const std::vector<std::string>& prefixes) const {
    std::lock_guard lock(mutex);
    std::vector<std::string> kept;
    for (const std::string& line : lines) {
        for (const std::string& prefix : prefixes) {
            if (line.rfind(prefix, 0) == 0) {
                kept.push_back(line);
                break;
            }
        }
    }
    return kept;
}

void FakeClock::sleep_until(TimePoint when) {
    if (when <= m_now)
        return;
    m_now = when;
    if (on_sleep)
        on_sleep(elapsed());
}

std::string FakeClock::utc_timestamp() {
    return fmt::format("T+{:.3f}", elapsed());
}

// ---------------------------------------------------------------------------------------------

class FakeHeldLock final : public HeldLock {
  public:
    FakeHeldLock(std::set<std::string>& locked, std::string path)
        : m_locked(locked), m_path(std::move(path)) {}
    ~FakeHeldLock() override { m_locked.erase(m_path); }

  private:
    std::set<std::string>& m_locked;
    std::string m_path;
};

bool FakeDisk::exists(const std::string& path) {
    return m_files.count(path) != 0 || m_directories.count(path) != 0;
}

void FakeDisk::make_directories(const std::string& path) {
    for (fs::path p = path; !p.empty() && p != p.parent_path(); p = p.parent_path())
        m_directories.insert(p.string());
}

std::size_t FakeDisk::used() const {
    std::size_t total = 0;
    for (const auto& [path, content] : m_files)
        total += content.size();
    return total;
}

void FakeDisk::write_file(const std::string& path, std::string_view content, FileSync) {
    bool full = false;
    for (const std::string& suffix : full_for) {
        if (path.size() >= suffix.size() && path.ends_with(suffix))
            full = true;
    }
    const auto old = m_files.find(path);
    const std::size_t replaced = old == m_files.end() ? 0 : old->second.size();
    if (full || used() - replaced + content.size() > space) {
        m_log.add("write failed " + path);
        throw StorageError(fmt::format("cannot write '{}': No space left on device", path), "",
                           "free space", ENOSPC);
    }
    m_files[path] = std::string(content);
    std::string summary = "write " + path;
    if (path.ends_with("manifest.json")) {
        const nlohmann::json doc = nlohmann::json::parse(content);
        summary += " (" + doc["status"].get<std::string>() + ")";
    }
    m_log.add(summary);
}

std::string FakeDisk::read_file(const std::string& path, std::string_view where) {
    const auto found = m_files.find(path);
    if (found == m_files.end())
        throw UserError(fmt::format("cannot read '{}'", path), std::string(where), "");
    return found->second;
}

void FakeDisk::rename(const std::string& from, const std::string& to) {
    const auto found = m_files.find(from);
    if (found == m_files.end())
        throw StorageError("no such file " + from, "", "", ENOENT);
    m_files[to] = std::move(found->second);
    m_files.erase(found);
    m_log.add("rename " + from + " -> " + to);
}

std::unique_ptr<HeldLock> FakeDisk::try_lock(const std::string& path, const std::string& holder) {
    if (m_locked.count(path) != 0)
        return nullptr;
    m_locked.insert(path);
    m_files[path] = holder;
    return std::make_unique<FakeHeldLock>(m_locked, path);
}

// ---------------------------------------------------------------------------------------------

namespace {

std::string target_name(const LaunchSpec& spec) {
    return spec.shell ? *spec.shell : fs::path(spec.argv.front()).filename().string();
}

class FakeTarget final : public RunningTarget {
  public:
    FakeTarget(EventLog& log, FakeClock& clock, FakeLauncher& launcher, std::string name,
               TargetScript script)
        : m_log(log),
          m_clock(clock),
          m_launcher(launcher),
          m_name(std::move(name)),
          m_script(std::move(script)) {}
    ~FakeTarget() override {
        if (!m_stopped) {
            m_log.add("destroyed " + m_name);
            --m_launcher.live;
        }
    }
    std::string tracking() const override { return "fake"; }
    ReadyOutcome wait_until_ready(const ReadinessSpec&, std::uint16_t,
                                  const std::atomic<bool>& cancel) override {
        if (cancel.load())
            return {false, {}, "interrupted"};
        m_log.add(std::string(m_script.ready ? "ready " : "not ready ") + m_name);
        m_ready = m_script.ready;
        return {m_script.ready, {}, m_script.ready ? "" : m_script.not_ready_reason};
    }
    std::optional<ExitStatus> poll_exit() override {
        if (m_script.exit_code) {
            if (!m_exit_logged)
                m_log.add(fmt::format("exit {} {}", m_name, *m_script.exit_code));
            m_exit_logged = true;
            return ExitStatus{*m_script.exit_code, 0};
        }
        if (!m_ready || !m_script.exit_after_polls)
            return std::nullopt;
        if (++m_polls < *m_script.exit_after_polls)
            return std::nullopt;
        if (!m_exit_logged)
            m_log.add("exit " + m_name);
        m_exit_logged = true;
        return ExitStatus{3, 0};
    }
    std::chrono::microseconds cpu_time() override {
        return m_script.cpu ? m_script.cpu(m_clock.elapsed()) : std::chrono::microseconds{0};
    }
    void start_sampling() override { m_log.add("sample " + m_name); }
    ResourceUsage finish_sampling() override { return {2.0, 20.0, 1 << 20, 100, 10.0}; }
    StopReport stop(int signal, std::chrono::nanoseconds grace, const std::atomic<bool>*) override {
        if (!m_stopped) {
            m_log.add(fmt::format("stop {} sig={} grace={}s", m_name, signal,
                                  std::chrono::duration<double>(grace).count()));
            --m_launcher.live;
        }
        m_stopped = true;
        return {};
    }

  private:
    EventLog& m_log;
    FakeClock& m_clock;
    FakeLauncher& m_launcher;
    std::string m_name;
    TargetScript m_script;
    bool m_ready = false;
    bool m_stopped = false;
    bool m_exit_logged = false;
    int m_polls = 0;
};

}  // namespace

std::unique_ptr<RunningTarget> FakeLauncher::start(const LaunchSpec& spec) {
    const std::string name = target_name(spec);
    const TargetScript script = scripts.count(name) ? scripts.at(name) : TargetScript{};
    if (script.start_error) {
        m_log.add("cannot start " + name);
        throw UserError(*script.start_error, "", "");
    }
    m_log.add("start " + name);
    started.push_back(spec);
    if (!script.output.empty())
        m_outputs[spec.log_path] = script.output;
    ++live;
    return std::make_unique<FakeTarget>(m_log, m_clock, *this, name, script);
}

std::string FakeLauncher::log_tail(const std::string& path, unsigned) {
    auto found = m_outputs.find(path);
    return found != m_outputs.end() ? found->second : "tail of " + path;
}

HttpReply FakeHttp::exchange(const Url& url, const std::string& request, bool,
                             std::chrono::nanoseconds, const std::atomic<bool>&) {
    // "POST /items": the request line's method and target (a walked request's own path).
    const std::size_t method_end = request.find(' ');
    const std::size_t target_end = request.find(' ', method_end + 1);
    const std::string key = target_end == std::string::npos
                                ? request.substr(0, method_end) + " " + url.target
                                : request.substr(0, target_end);
    m_log.add("http " + key);
    requests.push_back(request);
    auto found = replies.find(key);
    HttpReply reply = found != replies.end() ? found->second : HttpReply{404, "not found", "", ""};
    if (reply.raw.empty() && reply.error.empty()) {
        reply.raw = fmt::format("HTTP/1.1 {} Scripted\r\nContent-Length: {}\r\n\r\n{}",
                                reply.status, reply.body.size(), reply.body);
    }
    return reply;
}

// ---------------------------------------------------------------------------------------------

FakeLoad::Behaviour held_until_stopped(std::optional<std::string> path) {
    return [path](const LoadSettings& settings, const StopSignal& stop) {
        if (!path || settings.url.target == *path) {
            while (!stop.stop_requested())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return steady_result(100, 1);
    };
}

FakeLoad::Behaviour interrupted_twice(RunControl& control) {
    return [&control](const LoadSettings&, const StopSignal& stop) {
        control.interrupt();
        control.interrupt();
        while (!stop.stop_requested())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        LoadResult result = steady_result(10, 1);
        result.interrupted = true;
        return result;
    };
}

LoadResult steady_result(std::uint64_t completed, unsigned seconds) {
    LoadResult result;
    result.requests.started = completed;
    result.requests.completed = completed;
    result.duration_sec = seconds;
    result.status_codes[200] = completed;
    if (completed > 0)
        result.latency.record(1000, completed);
    for (unsigned s = 0; s < seconds; ++s)
        result.timeline.push_back({completed / seconds, 0, 0, 1000, 1000, {}});
    result.thread_usage = {{0.5 * seconds, 1.0 * seconds}, {0.5 * seconds, 1.0 * seconds}};
    return result;
}

LoadResult FakeLoad::run(const LoadSettings& settings, const StopSignal& stop, LoadProgress*) {
    m_log.add("load " + settings.url.target);
    runs.push_back(settings);
    if (behaviour)
        return behaviour(settings, stop);
    return steady_result(1000, 10);
}

// ---------------------------------------------------------------------------------------------

void RecordingObserver::on_run_start(const std::string&, unsigned total, unsigned skipped) {
    m_log.add(fmt::format("run {} planned, {} done before", total, skipped));
}

void RecordingObserver::on_cell_start(unsigned index, unsigned total, const std::string& label) {
    m_log.add(fmt::format("cell {}/{} {}", index, total, label));
}

void RecordingObserver::on_cell_end(unsigned, unsigned, const CellRecord& record) {
    m_log.add(fmt::format("end {} rep {} {}", record.cell_id, record.repetition,
                          cell_status_name(record.status)));
    records.push_back(record);
}

void RecordingObserver::on_note(const std::string& text) {
    notes.push_back(text);
}

// ---------------------------------------------------------------------------------------------

RunSummary FakeWorld::run(const Matrix& matrix, RunOptions options) {
    if (options.out_dir.empty() && options.resume_dir.empty())
        options.out_dir = "runs/r";
    return run_matrix(matrix, options, env, control, observer);
}

RunManifest FakeWorld::manifest(const std::string& dir) const {
    const std::string path = dir + "/manifest.json";
    return run_manifest_from_json(nlohmann::json::parse(disk.file(path)), path);
}

CellRecord FakeWorld::cell(const std::string& relative, const std::string& dir) const {
    const std::string path = dir + "/" + relative;
    return cell_record_from_json(nlohmann::json::parse(disk.file(path)), path);
}

Matrix matrix_from(const std::string& yaml) {
    return load_matrix_text(yaml, "m.yaml");
}

}  // namespace benchctl::testing
