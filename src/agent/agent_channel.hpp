#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace benchctl {

// What carries the agent protocol to one agent: a descriptor the coordinator writes requests to,
// one it reads the agent's messages from, and (optionally) the carrier's own diagnostics (ssh's
// stderr). Any exec transport is one: a local `benchctl agent`, `ssh host benchctl agent`,
// `docker exec -i c benchctl agent`. Owns its descriptors and its process.
class AgentChannel {
  public:
    virtual ~AgentChannel() = default;

    virtual int to_agent() const = 0;
    virtual int from_agent() const = 0;
    // The carrier's diagnostics (stderr), or -1.
    virtual int diagnostics() const = 0;

    // Closes to_agent(): the agent sees end of file, tears everything down and exits.
    virtual void close_requests() = 0;

    // Waits up to `limit` for the carrier to end, SIGKILLs it (its whole process group) if it
    // has not, reaps it and says how it ended: "ssh exited with code 255", "" for a carrier
    // without a process. Idempotent: later calls return the first answer.
    virtual std::string finish(std::chrono::milliseconds limit) = 0;
};

// A carrier process started from an argv: its stdin and stdout are the protocol, its stderr the
// diagnostics. It runs in a process group of its own (a Ctrl-C in the terminal reaches the
// coordinator, which stops the agents in order, not the carriers) with every pipe close-on-exec
// in the coordinator, so that when the coordinator dies, even by SIGKILL, the carrier's stdin
// reaches end of file and the agent tears down.
class ExecChannel : public AgentChannel {
  public:
    // Starts `argv` (argv[0] looked up in PATH); its base name names it in finish()'s words
    // ("ssh exited with code 255"). Throws UserError "cannot start '<argv0>': ..." when it cannot
    // be executed.
    static std::unique_ptr<ExecChannel> start(const std::vector<std::string>& argv);
    ~ExecChannel() override;

    int to_agent() const override { return m_to_agent; }
    int from_agent() const override { return m_from_agent; }
    int diagnostics() const override { return m_diagnostics; }
    void close_requests() override;
    std::string finish(std::chrono::milliseconds limit) override;

    pid_t pid() const { return m_pid; }

  private:
    ExecChannel() = default;
    pid_t m_pid = -1;
    std::string m_program;
    int m_to_agent = -1;
    int m_from_agent = -1;
    int m_diagnostics = -1;
    std::optional<std::string> m_ended;
};

// A channel over two descriptors it owns, with no carrier process: a socketpair to an agent
// served in the same process (tests).
class FdChannel : public AgentChannel {
  public:
    FdChannel(int to_agent, int from_agent) : m_to_agent(to_agent), m_from_agent(from_agent) {}
    ~FdChannel() override;
    int to_agent() const override { return m_to_agent; }
    int from_agent() const override { return m_from_agent; }
    int diagnostics() const override { return -1; }
    void close_requests() override;
    std::string finish(std::chrono::milliseconds) override { return ""; }

  private:
    int m_to_agent;
    int m_from_agent;
};

// How a one-shot command ended (run_command).
struct CommandOutcome {
    std::string ended;  // "exited with code 0", "killed by SIGKILL", "did not finish in 60s"
    bool ok = false;    // exited with code 0
    std::string stdout_text;
    std::string stderr_text;  // its last 8 KiB
};

// Runs `argv` to the end with stdin from `stdin_fd` (-1: /dev/null), collecting its output;
// SIGKILLs it (and its process group) after `limit`. Throws UserError when it cannot start.
CommandOutcome run_command(const std::vector<std::string>& argv, int stdin_fd,
                           std::chrono::milliseconds limit);

// The last `lines` non-empty lines of `text`, joined by "; ".
std::string last_lines(const std::string& text, unsigned lines);

}  // namespace benchctl
