#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "stats/portable_random.hpp"

namespace benchctl::test {

// A nightly series of `nights` values around `level` with Gaussian noise of relative standard
// deviation `noise` (0.03 = 3 %), reproducible from `seed`.
inline std::vector<double> noisy_series(std::size_t nights, double level, double noise,
                                        std::uint64_t seed) {
    PortableRandom random(seed);
    std::vector<double> series;
    for (std::size_t i = 0; i < nights; ++i)
        series.push_back(level * (1 + noise * random.standard_normal()));
    return series;
}

// Multiplies every value from `from` on by 1 + `relative` (a step of `relative`, e.g. -0.05).
inline void add_step(std::vector<double>& series, std::size_t from, double relative) {
    for (std::size_t i = from; i < series.size(); ++i)
        series[i] *= 1 + relative;
}

}  // namespace benchctl::test
