#include "tls13-random.h"

#include <algorithm>

namespace lpwan
{
namespace tls13
{

Bytes
RandomBytes(RandomSource& random, size_t n)
{
    Bytes out;
    out.reserve(n + 3);
    while (out.size() < n)
    {
        const uint32_t w = random.Uint32();
        out.push_back(static_cast<uint8_t>(w >> 24));
        out.push_back(static_cast<uint8_t>(w >> 16));
        out.push_back(static_cast<uint8_t>(w >> 8));
        out.push_back(static_cast<uint8_t>(w));
    }
    out.resize(n);
    return out;
}

int
MbedtlsRandom(void* randomSource, unsigned char* out, size_t length)
{
    const Bytes b = RandomBytes(*static_cast<RandomSource*>(randomSource), length);
    std::copy(b.begin(), b.end(), out);
    return 0;
}

} // namespace tls13
} // namespace lpwan
