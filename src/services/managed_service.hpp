#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "launch/process_tree.hpp"
#include "services/service_config.hpp"

namespace benchctl {

// Where the runner starts a service and how it may be cut short.
struct ServiceLaunch {
    std::string name;
    std::uint16_t port = 0;
    std::string run_dir;   // absolute; the service's files go to services/<name>/ below it
    std::string log_path;  // absolute logs/service-<name>.log: every command's output, the server's
    // The address the cells reach it at: "" = 127.0.0.1 (this machine); an ssh host's address
    // when an agent starts it there, and it then listens on every address (ServiceSite::address).
    std::string address;
    const std::atomic<bool>* cancel = nullptr;  // an interrupt: stop starting
    // For the user: where the data went when the run directory is out of the server user's reach.
    std::function<void(const std::string&)> note;
};

// One running server of a known kind (postgres, redis, nginx), fresh for the run: its data in
// services/<name>/data, its output in the log, ready for connections on 127.0.0.1:port. When
// benchctl is root, a server that refuses root runs as the Debian `postgres` user (or `nobody`
// where there is none): the launcher switches user before exec, and the data directory is
// created for that user, under /tmp when the run directory is out of its reach.
class ManagedService {
  public:
    // Sets the server up (files, initdb ...), starts it, waits until it accepts connections,
    // then creates what the config asks for (databases). Throws UserError naming
    // services.<name>, with the log's tail, when a program is missing, a step fails or times
    // out, the server exits or is not ready in time, or `cancel` became true; whatever was
    // started is stopped and the data removed (unless keep_data) before it throws.
    static ManagedService start(const ServiceConfig& config, const ServiceLaunch& launch);

    ManagedService(ManagedService&&) noexcept;
    ManagedService& operator=(ManagedService&&) noexcept;
    // Stops the server without grace if still running.
    ~ManagedService();

    // ${<name>.<key>}: port, host, url, and for postgres user, password, database.
    const std::map<std::string, std::string>& variables() const;
    // The server's own version line ("postgres (PostgreSQL) 15.14 ..."); "" if it said none.
    const std::string& version() const;
    // The server's process tree, for sampling.
    const ProcessTree& tree() const;
    // The data directory relative to the run directory ("services/db/data"), and where it really
    // is when that is a link to a private directory.
    std::string data_location() const;

    // Sends the kind's stop signal, waits up to the stop grace (none when `hurry`, or once
    // `cut_short` becomes true), SIGKILLs what is left, then removes the data unless keep_data.
    // Idempotent.
    void stop(bool hurry, const std::atomic<bool>* cut_short = nullptr);

  private:
    struct State;
    explicit ManagedService(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

}  // namespace benchctl
