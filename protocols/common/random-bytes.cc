#include "random-bytes.h"

#include <algorithm>

namespace lpwan
{

std::vector<uint8_t>
RandomBytes(RandomSource& random, size_t n)
{
    std::vector<uint8_t> out;
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
    const std::vector<uint8_t> b = RandomBytes(*static_cast<RandomSource*>(randomSource), length);
    std::copy(b.begin(), b.end(), out);
    return 0;
}

} // namespace lpwan
