#pragma once

// The agent protocol's framing: one JSON object per line ("JSON lines"), in both directions.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace benchctl {

// The longest line either side accepts: a load's settings carry its request body.
inline constexpr std::size_t k_max_message_bytes = 64 * 1024 * 1024;

// Where one side writes its messages. Thread-safe: the agent's workers answer concurrently, and
// each message is written whole, never interleaved with another.
class MessageSink {
  public:
    virtual ~MessageSink() = default;
    // Writes `message` as one line. Returns false once the other side is gone (the message is
    // dropped); never throws for that.
    virtual bool write(const nlohmann::json& message) = 0;
};

// A MessageSink on a pipe or socket. Invalid UTF-8 in strings is replaced (U+FFFD), so a message
// is always valid JSON. Once a write fails (EPIPE: the reader is gone) later writes are dropped.
// Does not own the descriptor.
class FdMessageSink : public MessageSink {
  public:
    explicit FdMessageSink(int fd) : m_fd(fd) {}
    bool write(const nlohmann::json& message) override;
    // Whether a write has failed.
    bool broken() const;

  private:
    int m_fd;
    mutable std::mutex m_mutex;
    bool m_broken = false;
};

// Reads lines from a descriptor, one at a time, buffered. Does not own the descriptor.
class LineReader {
  public:
    explicit LineReader(int fd) : m_fd(fd) {}

    enum class Status { line, end, timeout, too_long };

    // Waits up to `timeout` (negative: forever) for the next whole line and stores it without
    // its newline in `line`. `end`: the descriptor reached end of file (or failed); a last line
    // without a newline is returned first. `too_long`: a line exceeded k_max_message_bytes (the
    // stream cannot be trusted after that).
    Status next(std::string& line,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(-1));

    // Bytes already read past the lines returned (for a reader that hands the descriptor on).
    const std::string& buffered() const { return m_buffer; }

  private:
    bool take_line(std::string& line);

    int m_fd;
    std::string m_buffer;
    std::size_t m_scanned = 0;  // bytes of m_buffer known to hold no newline
    bool m_ended = false;
};

// Parses one line as a JSON object; nullopt when it is not one.
std::optional<nlohmann::json> parse_message(const std::string& line);

}  // namespace benchctl
