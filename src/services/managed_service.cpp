// A service of a known kind from nothing to ready and back: its directory, the user it runs as,
// the kind's plan (service_plan.hpp) carried out step by step, and its data removed at the end.

#include "services/managed_service.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "launch/process_user.hpp"
#include "launch/readiness.hpp"
#include "services/one_shot.hpp"
#include "services/service_plan.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto k_setup_timeout = 120s;  // initdb takes 1 to 3 s on a small VM
constexpr auto k_after_ready_timeout = 30s;
constexpr auto k_version_timeout = 10s;
constexpr unsigned k_log_tail_lines = 20;
constexpr unsigned k_version_lines = 3;
// Tried in order when benchctl is root and the server refuses root.
constexpr const char* k_server_users[] = {"postgres", "nobody"};

std::string joined_lines(const std::string& text, unsigned at_most) {
    std::istringstream lines(text);
    std::string joined;
    unsigned count = 0;
    for (std::string line; std::getline(lines, line) && count < at_most;) {
        if (line.empty())
            continue;
        joined += (joined.empty() ? "" : "; ") + line;
        ++count;
    }
    return joined;
}

std::string private_directory(const std::string& name) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        fmt::format("{}/benchctl-{}-XXXXXX", tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", name);
    if (mkdtemp(pattern.data()) == nullptr) {
        throw UserError(
            fmt::format("cannot create a directory {}: {}", pattern, std::strerror(errno)), "",
            "check that /tmp (or $TMPDIR) is writable");
    }
    return pattern;
}

void give_to(const std::optional<ProcessUser>& user, const std::string& path) {
    if (user && chown(path.c_str(), user->uid, user->gid) != 0) {
        throw UserError(
            fmt::format("cannot give {} to user '{}': {}", path, user->name, std::strerror(errno)),
            "", "run benchctl as root, or as a user the server accepts");
    }
}

// An earlier attempt's data (a crash, keep_data, --resume) is moved aside, never reused: every
// run starts from a fresh server.
void move_aside(const fs::path& data) {
    std::error_code error;
    if (!fs::exists(fs::symlink_status(data, error)))
        return;
    for (unsigned n = 1;; ++n) {
        fs::path aside = data.string() + "." + std::to_string(n);
        if (!fs::exists(fs::symlink_status(aside, error))) {
            fs::rename(data, aside);
            return;
        }
    }
}

}  // namespace

struct ManagedService::State {
    ServiceConfig config;
    ServiceLaunch launch;
    ServiceSite site;
    std::optional<ProcessUser> user;  // the server's, when not benchctl's own
    std::string data_target;          // the private directory services/<name>/data links to
    ServicePlan plan;
    std::optional<ProcessTree> tree;
    std::string version;
    bool stopped = false;

    std::string where() const { return "services." + launch.name; }
    std::string what(const std::string& text) const {
        return fmt::format("service '{}' ({}): {}", launch.name, service_kind_name(config.kind),
                           text);
    }
    [[noreturn]] void fail(const std::string& text) const {
        throw UserError(what(text), where(),
                        fmt::format("its log {} ends with:\n{}", launch.log_path,
                                    log_tail(launch.log_path, k_log_tail_lines)));
    }

    void choose_user();
    void prepare_directories();
    void write_files();
    LaunchSpec spec(const ServiceCommand& command) const;
    void run_step(const ServiceCommand& command, std::chrono::nanoseconds timeout);
    void read_version();
    void bring_up();
    void remove_data();
};

void ManagedService::State::choose_user() {
    if (!refuses_root(config.kind) || geteuid() != 0)
        return;
    for (const char* name : k_server_users) {
        if ((user = lookup_process_user(name)))
            return;
    }
    throw UserError(what("it refuses to run as root, and there is no user postgres or nobody "
                         "to run it as"),
                    where(),
                    "run benchctl as another user, or create one: useradd --system postgres");
}

void ManagedService::State::prepare_directories() {
    fs::path dir = fs::path(launch.run_dir) / "services" / launch.name;
    fs::path data = dir / "data";
    fs::create_directories(dir);
    move_aside(data);
    site.dir = dir.string();
    if (user && !user_can_reach(*user, site.dir)) {
        data_target = private_directory(launch.name);
        fs::create_directory_symlink(data_target, data);
        site.data_dir = data_target;
        if (launch.note) {
            launch.note(
                fmt::format("service {}: user {} cannot reach the run directory; its data is in {} "
                            "(linked from {})",
                            launch.name, user->name, data_target, data.string()));
        }
    } else {
        fs::create_directory(data);
        site.data_dir = data.string();
    }
    fs::permissions(site.data_dir, fs::perms::owner_all);
    give_to(user, site.data_dir);
}

void ManagedService::State::write_files() {
    for (const ServiceFile& file : plan.files) {
        int fd = open(file.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        bool written = fd >= 0 && write(fd, file.content.data(), file.content.size()) ==
                                      static_cast<ssize_t>(file.content.size());
        if (fd >= 0)
            close(fd);
        if (!written)
            throw UserError(
                what(fmt::format("cannot write {}: {}", file.path, std::strerror(errno))), where(),
                "check that the run directory is writable");
        give_to(user, file.path);
    }
}

LaunchSpec ManagedService::State::spec(const ServiceCommand& command) const {
    LaunchSpec spec;
    spec.argv = command.argv;
    spec.env = command.env;
    spec.log_path = launch.log_path;
    bool as_user = command.as_server_user && user;
    spec.cwd = as_user ? site.data_dir : site.dir;
    if (as_user)
        spec.user = user;
    return spec;
}

void ManagedService::State::run_step(const ServiceCommand& command,
                                     std::chrono::nanoseconds timeout) {
    std::string program = fs::path(command.argv.front()).filename().string();
    OneShotOutcome outcome = run_to_completion(spec(command), timeout, *launch.cancel);
    if (outcome.interrupted)
        throw UserError(what(fmt::format("interrupted while {} ran", program)), where(), "");
    if (!outcome.exit) {
        fail(fmt::format("{} did not finish within {}s", program,
                         std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
    }
    if (!outcome.succeeded())
        fail(fmt::format("{} {}", program, outcome.exit->to_string()));
}

void ManagedService::State::read_version() {
    ServiceCommand command{plan.version, {}, false};
    OneShotOutcome outcome = run_to_completion(spec(command), k_version_timeout, *launch.cancel);
    version = joined_lines(outcome.output, k_version_lines);
}

void ManagedService::State::bring_up() {
    write_files();
    read_version();
    for (const ServiceCommand& command : plan.setup)
        run_step(command, k_setup_timeout);
    for (const ServiceFile& file : plan.files) {
        if (file.setup_only)
            fs::remove(file.path);
    }
    tree.emplace(ProcessTree::start(spec(plan.server)));
    ReadyOutcome ready =
        wait_until_ready(*tree, plan.ready, site.port, launch.log_path, *launch.cancel);
    if (!ready.ready) {
        if (launch.cancel->load())
            throw UserError(what("interrupted before it was ready"), where(), "");
        fail("not ready: " + ready.reason);
    }
    for (const ServiceCommand& command : plan.after_ready)
        run_step(command, k_after_ready_timeout);
}

void ManagedService::State::remove_data() {
    if (config.keep_data || site.data_dir.empty())
        return;
    std::error_code error;
    fs::path data = fs::path(site.dir) / "data";
    if (!data_target.empty())
        fs::remove_all(data_target, error);
    fs::remove_all(data, error);
    fs::remove(site.dir, error);  // only when nothing else is in it (nginx.conf stays)
}

ManagedService ManagedService::start(const ServiceConfig& config, const ServiceLaunch& launch) {
    auto state = std::make_unique<State>();
    state->config = config;
    state->launch = launch;
    state->site.name = launch.name;
    state->site.port = launch.port;
    if (!launch.address.empty())
        state->site.address = launch.address;
    state->site.access_log_path =
        (fs::path(launch.log_path).parent_path() / ("service-" + launch.name + ".access.log"))
            .string();
    state->site.benchctl_is_root = geteuid() == 0;
    try {
        state->site.programs = find_server_programs(config.kind);
    } catch (const UserError& error) {
        throw UserError(state->what(error.what()), state->where(), error.hint());
    }
    state->choose_user();
    // From here on, a failure stops what started and removes the data before it is reported.
    ManagedService service(std::move(state));
    State& started = *service.m_state;
    try {
        started.prepare_directories();
        started.plan = plan_service(config, started.site);
        started.bring_up();
    } catch (const std::invalid_argument& error) {
        service.stop(true);
        throw UserError(started.what(error.what()), started.where(), "");
    } catch (const fs::filesystem_error& error) {
        service.stop(true);
        throw UserError(started.what(error.what()), started.where(),
                        "check that the run directory is writable");
    } catch (...) {
        service.stop(true);
        throw;
    }
    return service;
}

ManagedService::ManagedService(std::unique_ptr<State> state) : m_state(std::move(state)) {}
ManagedService::ManagedService(ManagedService&&) noexcept = default;
ManagedService& ManagedService::operator=(ManagedService&&) noexcept = default;

ManagedService::~ManagedService() {
    if (m_state)
        stop(true);
}

const std::map<std::string, std::string>& ManagedService::variables() const {
    return m_state->plan.variables;
}

const std::string& ManagedService::version() const {
    return m_state->version;
}

const ProcessTree& ManagedService::tree() const {
    return *m_state->tree;
}

std::string ManagedService::data_location() const {
    std::string relative = "services/" + m_state->launch.name + "/data";
    return m_state->data_target.empty() ? relative : relative + " -> " + m_state->data_target;
}

void ManagedService::stop(bool hurry, const std::atomic<bool>* cut_short) {
    State& state = *m_state;
    if (state.stopped)
        return;
    state.stopped = true;
    if (state.tree) {
        auto grace = hurry ? std::chrono::nanoseconds{0} : state.config.stop_grace;
        state.tree->stop(state.plan.stop_signal, grace, cut_short);
    }
    state.remove_data();
}

}  // namespace benchctl
