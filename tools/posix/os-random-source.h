/*
 * The operating system's randomness (std::random_device) as the RandomSource of a sans-I/O
 * core. Only for drivers on real sockets: the simulator draws from ns-3 streams instead, so
 * that runs are reproducible (DESIGN.md principle 3).
 */
#ifndef LPWAN_OS_RANDOM_SOURCE_H
#define LPWAN_OS_RANDOM_SOURCE_H

#include "protocols/common/sans-io.h"

#include <cstdint>
#include <random>

namespace lpwan
{

class OsRandomSource : public lpwan::RandomSource
{
  public:
    double Uniform01() override
    {
        // 53 random bits, the full precision of a double, from two 32-bit draws.
        const uint64_t hi = Uint32() >> 5;                                // 27 bits
        const uint64_t lo = Uint32() >> 6;                                // 26 bits
        return static_cast<double>((hi << 26) | lo) / 9007199254740992.0; // 2^53
    }

    uint32_t Uint32() override
    {
        return static_cast<uint32_t>(m_device());
    }

  private:
    std::random_device m_device;
};

} // namespace lpwan

#endif // LPWAN_OS_RANDOM_SOURCE_H
