#pragma once

#include <cstdint>

namespace benchctl {

// The per-thread random source of the load client: xoshiro256** (Blackman & Vigna, "Scrambled
// linear pseudorandom number generators", 2018), seeded through splitmix64 as its authors
// recommend. A few nanoseconds a draw and 32 bytes of state, so every load thread keeps its own
// and no draw touches shared memory. The same seed gives the same sequence on every platform.
// Not for cryptography.
class FastRandom {
  public:
    explicit FastRandom(std::uint64_t seed) {
        for (std::uint64_t& word : m_state)
            word = splitmix64(seed);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // A uniform integer in [0, bound) without modulo bias (Lemire, "Fast random integer
    // generation in an interval", 2019). `bound` must be >= 1.
    std::uint64_t below(std::uint64_t bound) {
        Uint128 product = static_cast<Uint128>(next()) * bound;
        auto low = static_cast<std::uint64_t>(product);
        if (low < bound) {
            const std::uint64_t threshold = (0 - bound) % bound;
            while (low < threshold) {
                product = static_cast<Uint128>(next()) * bound;
                low = static_cast<std::uint64_t>(product);
            }
        }
        return static_cast<std::uint64_t>(product >> 64);
    }

    // A uniform double in [0, 1) with 53 random bits.
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Steps a splitmix64 state and returns its output: also how thread seeds are derived from
    // a run's seed.
    static std::uint64_t splitmix64(std::uint64_t& state) {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

  private:
    __extension__ typedef unsigned __int128 Uint128;
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_state[4];
};

// The seed of thread `index` of a run seeded with `run_seed`: distinct streams per thread, the
// same ones for the same run seed.
inline std::uint64_t thread_seed(std::uint64_t run_seed, unsigned index) {
    std::uint64_t state =
        run_seed ^ (0x6a09e667f3bcc909ULL * (static_cast<std::uint64_t>(index) + 1));
    return FastRandom::splitmix64(state);
}

}  // namespace benchctl
