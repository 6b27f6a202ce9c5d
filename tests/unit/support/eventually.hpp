#pragma once

// Waiting in a unit test for something another thread or process does.

#include <chrono>
#include <thread>

namespace benchctl::testing {

// Polls `condition` every 10 ms until it holds or `limit` passes; returns its last value.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

}  // namespace benchctl::testing
