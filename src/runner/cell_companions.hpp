#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "matrix/matrix.hpp"
#include "results/cell_record.hpp"
#include "runner/resolved_cell.hpp"
#include "runner/target_launcher.hpp"
#include "util/disk_interface.hpp"

namespace benchctl {

// Where one companion of one cell keeps its files: absolute paths.
struct CompanionSite {
    std::string dir;              // <run dir>/companions/<cell>/<name>: nginx.conf, temp files
    std::string log_path;         // <run dir>/logs/<cell>.<name>.log: its output
    std::string access_log_path;  // <run dir>/logs/<cell>.<name>.access.log (nginx)
};

// The site of companion `name` of cell `cell_id` in run directory `run_dir`.
CompanionSite companion_site(const std::string& run_dir, const std::string& cell_id,
                             const std::string& name);

// A companion with every variable filled in: what to write, start, probe and stop.
struct ResolvedCompanion {
    std::string name;
    std::string kind;  // "nginx" or "command"
    ResolvedTarget target;
    std::vector<std::string> directories;                    // created before the start
    std::vector<std::pair<std::string, std::string>> files;  // path, content: written before it
};

// A `kind: nginx` companion: an nginx.conf (render_nginx_config) in site.dir that listens on
// 127.0.0.1:${port} and forwards to the config's upstream (127.0.0.1:${app_port} by default),
// `nginx_program` started on it in the foreground, ready when it answers its own readiness path
// (204), stopped with SIGQUIT (graceful). `workers_as_root`: benchctl is root (nginx would
// otherwise run its workers as nobody). Throws UserError naming the companion when a value is
// unusable (an upstream that is no address, an unknown variable).
ResolvedCompanion nginx_companion(const CompanionSpec& spec, const RuntimeValues& values,
                                  const CompanionSite& site, const std::string& nginx_program,
                                  bool workers_as_root);

// Any companion of a cell: nginx (its program looked up on this machine) or a command resolved
// as a target is (its cwd against the matrix file's directory), its output in site.log_path.
// Throws UserError naming the companion (a missing nginx names its Debian package).
ResolvedCompanion resolve_companion(const Matrix& matrix, const CompanionSpec& spec,
                                    const RuntimeValues& values, const CompanionSite& site);

// The companions of one cell while it runs, in start order. Destroying the group stops what
// still runs without grace (the trees' own guarantee).
class CompanionGroup {
  public:
    CompanionGroup(TargetLauncher& launcher, DiskInterface& disk)
        : m_launcher(launcher), m_disk(disk) {}

    // Writes the companion's files, starts it (launcher: under the supervisor, in a cgroup
    // where there is one, as a target is) and waits until it is ready on 127.0.0.1:`port`.
    // Returns why it is not ready (with its log's tail in `log_tail`), or "" once it is. Throws
    // UserError when it cannot be started or its files cannot be written.
    std::string start(ResolvedCompanion companion, std::uint16_t port,
                      const std::atomic<bool>& cancel, std::string& log_tail);

    // Non-blocking, callable from the load's watcher: "companion 'proxy' exited with code 1"
    // for the first companion that exited, else "".
    std::string exited();

    // Samples every companion's tree (CPU time, peak RSS) until finish_sampling(), which
    // returns each one's usage in start order. Throws UserError when a sampling thread cannot
    // be created.
    void start_sampling();
    std::vector<ServiceUsage> finish_sampling();

    // Stops the companions, last started first (their stop signal; no grace when `hurry`, or
    // once `cut_short` becomes true). Returns the processes that needed SIGKILL. Idempotent.
    unsigned stop(bool hurry, const std::atomic<bool>* cut_short);

    bool empty() const { return m_started.empty(); }

  private:
    struct Started {
        ResolvedCompanion resolved;
        std::unique_ptr<RunningTarget> tree;
    };
    TargetLauncher& m_launcher;
    DiskInterface& m_disk;
    std::vector<Started> m_started;
};

}  // namespace benchctl
