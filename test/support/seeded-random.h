/*
 * A RandomSource on a seeded Mersenne twister: the tests' and fuzz targets' stand-in for an
 * ns-3 random stream, so that a test (or a fuzz input) draws the same keys and nonces on every
 * run. The engine is a parameter because the suites were written with both widths and their
 * expectations keep the sequences they were written with.
 */
#ifndef LPWAN_TEST_SUPPORT_SEEDED_RANDOM_H
#define LPWAN_TEST_SUPPORT_SEEDED_RANDOM_H

#include "protocols/common/sans-io.h"

#include <cstdint>
#include <random>

namespace lpwan_test
{

template<typename Engine>
class BasicSeededRandom : public lpwan::RandomSource
{
  public:
    explicit BasicSeededRandom(typename Engine::result_type seed)
      : m_engine(seed)
    {
    }

    double Uniform01() override
    {
        return std::uniform_real_distribution<double>(0.0, 1.0)(m_engine);
    }

    uint32_t Uint32() override
    {
        return static_cast<uint32_t>(m_engine());
    }

  private:
    Engine m_engine;
};

/// 32-bit Mersenne twister (the OSCORE and EDHOC tests, the fuzz targets).
using SeededRandom = BasicSeededRandom<std::mt19937>;
/// 64-bit Mersenne twister (the DTLS/TLS tests).
using SeededRandom64 = BasicSeededRandom<std::mt19937_64>;

} // namespace lpwan_test

#endif // LPWAN_TEST_SUPPORT_SEEDED_RANDOM_H
