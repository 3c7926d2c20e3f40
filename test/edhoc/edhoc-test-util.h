/*
 * Helpers shared by the EDHOC tests: hex strings, a RandomSource that replays given bytes (to
 * inject RFC 9529's ephemeral keys) and a seeded one for everything else.
 */
#ifndef LPWAN_TEST_EDHOC_TEST_UTIL_H
#define LPWAN_TEST_EDHOC_TEST_UTIL_H

#include "protocols/common/hex.h"
#include "protocols/common/sans-io.h"
#include "protocols/edhoc/edhoc-types.h"
#include "support/seeded-random.h"

#include <deque>
#include <random>
#include <stdexcept>
#include <string>

namespace edhoc_test
{

using lpwan::edhoc::Bytes;

/// Whitespace and the separators of the RFCs' listings, skipped between bytes.
constexpr const char* kHexSeparators = " \t\r\n:-";

/// Bytes from hex (throws std::invalid_argument on anything else).
inline Bytes
Hex(const std::string& hex)
{
    std::optional<Bytes> bytes = lpwan::FromHex(hex, kHexSeparators);
    if (!bytes)
    {
        throw std::invalid_argument("odd number of hex digits");
    }
    return *bytes;
}

inline std::string
ToHex(const Bytes& b)
{
    return lpwan::ToHex(b);
}

inline Bytes
Concat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const Bytes& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

/// Hands out the given bytes (big-endian in each Uint32, as edhoc::RandomBytes reads them),
/// then fails the test: a core that draws more randomness than expected is a bug.
class ReplayRandom : public lpwan::RandomSource
{
  public:
    explicit ReplayRandom(const Bytes& bytes)
      : m_bytes(bytes.begin(), bytes.end())
    {
    }

    double Uniform01() override
    {
        return Uint32() / 4294967296.0;
    }

    uint32_t Uint32() override
    {
        if (m_bytes.size() < 4)
        {
            throw std::logic_error("ReplayRandom exhausted");
        }
        uint32_t w = 0;
        for (int i = 0; i < 4; ++i)
        {
            w = (w << 8) | m_bytes.front();
            m_bytes.pop_front();
        }
        return w;
    }

    size_t Remaining() const
    {
        return m_bytes.size();
    }

  private:
    std::deque<uint8_t> m_bytes;
};

/// A deterministic pseudo-random source for tests that need fresh keys.
using lpwan_test::SeededRandom;

} // namespace edhoc_test

#endif // LPWAN_TEST_EDHOC_TEST_UTIL_H
