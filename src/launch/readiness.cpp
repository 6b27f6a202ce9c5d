#include "launch/readiness.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <thread>

#include "launch/log_watcher.hpp"
#include "launch/probe.hpp"
#include "util/error.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto k_poll_interval = 50ms;
// One probe may take this long: a server that accepted the connection may be slow to answer
// its first request (imports, JIT, cache warm-up) and is then nearly ready anyway.
constexpr auto k_probe_timeout = 2000ms;
// And at least this long, even at the very end of the wait: a probe cut shorter would fail for
// want of time and hide why the real ones failed.
constexpr auto k_min_probe_timeout = 100ms;

// One readiness check of the kind `spec` asks for.
class ReadinessCheck {
  public:
    ReadinessCheck(const ReadinessSpec& spec, std::uint16_t port, const std::string& log_path,
                   std::uint64_t log_offset)
        : m_spec(spec), m_port(port), m_log_path(log_path) {
        if (spec.kind == ReadinessKind::log)
            m_log.emplace(log_path, log_offset, spec.log_pattern);
    }

    // Probes once, spending at most `budget`; remembers why it was not ready.
    bool ready(std::chrono::milliseconds budget) {
        auto timeout = std::clamp(budget, std::chrono::milliseconds(k_min_probe_timeout),
                                  std::chrono::milliseconds(k_probe_timeout));
        ProbeResult result;
        switch (m_spec.kind) {
            case ReadinessKind::tcp:
                result = probe_tcp(m_port, timeout);
                break;
            case ReadinessKind::http:
                result = probe_http(m_port, m_spec.http_path, m_spec.expected_status, timeout);
                break;
            case ReadinessKind::log:
                result = {m_log->poll(Clock::now() + timeout), "no matching line"};
                break;
            case ReadinessKind::protocol:
                result = m_spec.protocol(m_port, timeout);
                break;
        }
        m_last_detail = result.detail;
        return result.ok;
    }

    // "TCP connect to 127.0.0.1:8000: connection refused" and the like.
    std::string last_failure() const {
        switch (m_spec.kind) {
            case ReadinessKind::tcp:
                return fmt::format("TCP connect to 127.0.0.1:{}: {}", m_port, m_last_detail);
            case ReadinessKind::http:
                return fmt::format("HTTP probe GET {}: {}", m_spec.http_path, m_last_detail);
            case ReadinessKind::log:
                return fmt::format("no line of {} matched '{}'", m_log_path, m_spec.log_pattern);
            case ReadinessKind::protocol:
                return fmt::format("{} on 127.0.0.1:{}: {}", m_spec.protocol_name, m_port,
                                   m_last_detail);
        }
        return m_last_detail;
    }

  private:
    const ReadinessSpec& m_spec;
    std::uint16_t m_port;
    std::string m_log_path;
    std::optional<LogWatcher> m_log;
    std::string m_last_detail = "not probed";
};

std::string format_seconds(std::chrono::nanoseconds duration) {
    return fmt::format("{:g}s", std::chrono::duration<double>(duration).count());
}

}  // namespace

ReadyOutcome wait_until_ready(ProcessTree& process, const ReadinessSpec& spec, std::uint16_t port,
                              const std::string& log_path, const std::atomic<bool>& cancel) {
    auto begin = Clock::now();
    auto deadline = begin + spec.timeout;
    ReadinessCheck check(spec, port, log_path, process.log_start_offset());
    ReadyOutcome outcome;
    for (;;) {
        auto budget =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        bool ready = check.ready(budget);
        outcome.waited = Clock::now() - begin;
        if (ready) {
            outcome.ready = true;
            return outcome;
        }
        if (auto exit = process.poll_exit()) {
            outcome.reason = exit->to_string() + " before it was ready";
            return outcome;
        }
        if (cancel.load()) {
            outcome.reason = "interrupted before it was ready";
            return outcome;
        }
        if (Clock::now() >= deadline) {
            outcome.reason = fmt::format("not ready after {} ({})", format_seconds(spec.timeout),
                                         check.last_failure());
            return outcome;
        }
        std::this_thread::sleep_for(
            std::min<Clock::duration>(k_poll_interval, deadline - Clock::now()));
    }
}

std::uint16_t find_free_port() {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
              getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    int error = errno;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        throw UserError(
            fmt::format("cannot find a free TCP port on 127.0.0.1: {}", std::strerror(error)), "",
            "check that the loopback interface is up");
    }
    return ntohs(address.sin_port);
}

std::string log_tail(const std::string& path, unsigned lines) {
    // Enough for any sensible number of log lines; a tail of a multi-megabyte line is cut.
    constexpr std::streamoff k_max_bytes = 64 * 1024;
    std::ifstream file(path, std::ios::binary | std::ios::ate);
    if (!file || lines == 0)
        return "";
    std::streamoff size = file.tellg();
    std::streamoff start = std::max<std::streamoff>(0, size - k_max_bytes);
    std::string text(static_cast<std::size_t>(size - start), '\0');
    file.seekg(start);
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(file.gcount()));
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    std::size_t begin = 0;
    unsigned newlines = 0;
    for (std::size_t i = text.size(); i > 0; --i) {
        if (text[i - 1] == '\n' && ++newlines == lines) {
            begin = i;
            break;
        }
    }
    return text.substr(begin);
}

}  // namespace benchctl
