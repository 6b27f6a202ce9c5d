#include "stats/portable_random.hpp"

#include <cmath>

namespace benchctl {

std::uint64_t PortableRandom::below(std::uint64_t bound) {
    // 2^64 mod bound: draws under it belong to an incomplete block of residues, and are redrawn.
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        const std::uint64_t draw = m_engine();
        if (draw >= threshold)
            return draw % bound;
    }
}

double PortableRandom::unit() {
    return static_cast<double>(m_engine() >> 11) * 0x1.0p-53;
}

double PortableRandom::standard_normal() {
    if (m_has_spare_normal) {
        m_has_spare_normal = false;
        return m_spare_normal;
    }
    for (;;) {
        const double u = 2 * unit() - 1;
        const double v = 2 * unit() - 1;
        const double s = u * u + v * v;
        if (s > 0 && s < 1) {
            const double factor = std::sqrt(-2 * std::log(s) / s);
            m_spare_normal = v * factor;
            m_has_spare_normal = true;
            return u * factor;
        }
    }
}

}  // namespace benchctl
