#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>

#include "util/clock.hpp"

namespace benchctl {

// How a run is asked to stop from outside (SIGINT, SIGTERM). interrupt() is async-signal-safe
// (lock-free atomics only), so a signal handler may call it. The first interrupt stops the load
// and the target (with its grace period) and ends the run; a second one skips grace periods.
class RunControl {
  public:
    void interrupt() {
        if (m_interrupts.fetch_add(1, std::memory_order_relaxed) > 0) {
            m_hurry.store(true, std::memory_order_relaxed);
        }
        m_cancel.store(true, std::memory_order_relaxed);
    }
    bool interrupted() const { return m_interrupts.load(std::memory_order_relaxed) > 0; }
    bool hurry() const { return m_interrupts.load(std::memory_order_relaxed) > 1; }
    // True once interrupted; for waits that take a cancel flag (readiness).
    const std::atomic<bool>& cancel_flag() const { return m_cancel; }
    // True after the second interrupt; for waits that a hurry cuts short (stop grace periods).
    const std::atomic<bool>& hurry_flag() const { return m_hurry; }

    // Sleeps up to `period` on `clock` (a warm-up, a cooldown, a settle window), waking within
    // 50 ms of an interrupt.
    void sleep_unless_interrupted(Clock& clock, std::chrono::nanoseconds period) const {
        constexpr auto k_poll = std::chrono::milliseconds(50);
        const Clock::TimePoint until = clock.now() + period;
        while (!interrupted()) {
            const Clock::TimePoint now = clock.now();
            if (now >= until)
                return;
            clock.sleep_until(std::min<Clock::TimePoint>(until, now + k_poll));
        }
    }

  private:
    std::atomic<int> m_interrupts{0};
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_hurry{false};
    static_assert(std::atomic<int>::is_always_lock_free);
};

}  // namespace benchctl
