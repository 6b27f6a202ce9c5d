#include "agent/message_stream.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "util/clock.hpp"

namespace benchctl {

namespace {

constexpr std::size_t k_read_chunk = 64 * 1024;

// Blocks SIGPIPE in the calling thread for its lifetime and discards one raised meanwhile, so
// that a write to a pipe whose reader is gone fails with EPIPE instead of killing the process
// (the coordinator, a library user, may not ignore SIGPIPE).
class SigpipeGuard {
  public:
    SigpipeGuard() {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        m_was_pending = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
    }
    ~SigpipeGuard() {
        if (!m_was_pending) {
            timespec zero{};
            while (sigtimedwait(&m_pipe, nullptr, &zero) > 0) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

  private:
    sigset_t m_pipe;
    sigset_t m_old;
    bool m_was_pending = false;
};

// Writes all of `data`, retrying after EINTR and short writes; false on any other failure.
bool write_all(int fd, const char* data, std::size_t size) {
    SigpipeGuard guard;
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            pollfd item{fd, POLLOUT, 0};
            poll(&item, 1, -1);
            continue;
        }
        if (n <= 0)
            return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

bool FdMessageSink::write(const nlohmann::json& message) {
    std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += '\n';
    std::lock_guard lock(m_mutex);
    if (m_broken)
        return false;
    if (!write_all(m_fd, line.data(), line.size()))
        m_broken = true;
    return !m_broken;
}

bool FdMessageSink::broken() const {
    std::lock_guard lock(m_mutex);
    return m_broken;
}

bool LineReader::take_line(std::string& line) {
    std::size_t newline = m_buffer.find('\n', m_scanned);
    if (newline == std::string::npos) {
        m_scanned = m_buffer.size();
        return false;
    }
    line.assign(m_buffer, 0, newline);
    m_buffer.erase(0, newline + 1);
    m_scanned = 0;
    return true;
}

LineReader::Status LineReader::next(std::string& line, std::chrono::milliseconds timeout) {
    const std::uint64_t deadline =
        timeout.count() < 0
            ? 0
            : monotonic_ns() + static_cast<std::uint64_t>(timeout.count()) * 1'000'000;
    while (true) {
        if (take_line(line))
            return Status::line;
        if (m_buffer.size() > k_max_message_bytes)
            return Status::too_long;
        if (m_ended) {
            if (m_buffer.empty())
                return Status::end;
            line.swap(m_buffer);
            m_buffer.clear();
            m_scanned = 0;
            return Status::line;
        }
        int wait_ms = -1;
        if (deadline != 0) {
            std::uint64_t now = monotonic_ns();
            if (now >= deadline)
                return Status::timeout;
            wait_ms = static_cast<int>((deadline - now + 999'999) / 1'000'000);
        }
        pollfd item{m_fd, POLLIN, 0};
        int ready = poll(&item, 1, wait_ms);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0)
            continue;  // the deadline check above answers
        char chunk[k_read_chunk];
        ssize_t n = read(m_fd, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            m_ended = true;
        else
            m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

std::optional<nlohmann::json> parse_message(const std::string& line) {
    nlohmann::json message = nlohmann::json::parse(line, nullptr, false);
    if (message.is_discarded() || !message.is_object())
        return std::nullopt;
    return message;
}

}  // namespace benchctl
