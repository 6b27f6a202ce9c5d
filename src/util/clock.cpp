#include "util/clock.hpp"

#include <fmt/format.h>

#include <ctime>
#include <thread>

namespace benchctl {

std::uint64_t monotonic_ns() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000ULL +
           static_cast<std::uint64_t>(now.tv_nsec);
}

std::string utc_timestamp_now() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    std::tm utc{};
    gmtime_r(&now.tv_sec, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                       utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                       now.tv_nsec / 1'000'000);
}

namespace {

class RealClock final : public Clock {
  public:
    TimePoint now() override { return std::chrono::steady_clock::now(); }
    void sleep_until(TimePoint when) override { std::this_thread::sleep_until(when); }
    std::string utc_timestamp() override { return utc_timestamp_now(); }
};

}  // namespace

Clock& real_clock() {
    static RealClock clock;
    return clock;
}

}  // namespace benchctl
