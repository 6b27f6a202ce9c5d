#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <utility>

namespace benchctl {

// A seeded random source that gives the same sequence with every standard library, so that a
// permutation test or a synthetic series is reproducible from its seed alone: std::mt19937_64's
// output is fixed by the C++ standard, whereas std::shuffle and the std:: distributions are
// implementation-defined. Not for cryptography.
class PortableRandom {
  public:
    explicit PortableRandom(std::uint64_t seed) : m_engine(seed) {}

    // A uniform integer in [0, bound), without modulo bias (rejection of the short last block,
    // as OpenBSD's arc4random_uniform). `bound` must be >= 1.
    std::uint64_t below(std::uint64_t bound);

    // A uniform double in [0, 1) with 53 random bits.
    double unit();

    // A standard normal variate (Marsaglia's polar method, Marsaglia & Bray, SIAM Review 6(3),
    // 1964).
    double standard_normal();

    // Fisher-Yates (Knuth, TAOCP vol. 2, 3.4.2, algorithm P): every order equally likely.
    template <typename T>
    void shuffle(std::span<T> items) {
        for (std::size_t i = items.size(); i > 1; --i)
            std::swap(items[i - 1], items[below(i)]);
    }

  private:
    std::mt19937_64 m_engine;
    double m_spare_normal = 0;
    bool m_has_spare_normal = false;
};

}  // namespace benchctl
