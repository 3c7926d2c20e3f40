/*
 * What the fuzz targets (test/fuzz/<target>.cc) share: an oracle check that aborts, so that
 * libFuzzer records the input as a finding, and a fixed-seed RandomSource (the cores draw
 * randomness only through one; fixed so that an input replays the same way every time).
 */
#ifndef LPWAN_TEST_FUZZ_FUZZ_CHECK_H
#define LPWAN_TEST_FUZZ_FUZZ_CHECK_H

#include "protocols/common/sans-io.h"
#include "support/seeded-random.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

/// An oracle: when cond is false the input is a finding (abort, libFuzzer saves the input).
#define FUZZ_CHECK(cond, what)                                                                \
    do                                                                                        \
    {                                                                                         \
        if (!(cond))                                                                          \
        {                                                                                     \
            std::fprintf(stderr, "fuzz oracle failed at %s:%d: %s: %s\n", __FILE__, __LINE__, \
                         #cond, what);                                                        \
            std::abort();                                                                     \
        }                                                                                     \
    } while (0)

namespace lpwan_fuzz
{

/// A RandomSource on a Mersenne twister with a fixed seed.
class FixedRandom : public lpwan_test::SeededRandom
{
  public:
    explicit FixedRandom(uint32_t seed = 2026)
      : lpwan_test::SeededRandom(seed)
    {
    }
};

using Bytes = std::vector<uint8_t>;

/// Inputs that carry several messages (a datagram sequence): each is a 2-byte big-endian
/// length and that many bytes; what is left at the end (a short frame) is the last message.
inline std::vector<Bytes>
SplitFrames(const uint8_t* data, size_t size, size_t maxFrames = 8)
{
    std::vector<Bytes> frames;
    size_t at = 0;
    while (at < size && frames.size() < maxFrames)
    {
        if (size - at < 2)
        {
            frames.emplace_back(data + at, data + size);
            break;
        }
        const size_t length = (size_t{data[at]} << 8) | data[at + 1];
        at += 2;
        const size_t take = std::min(length, size - at);
        frames.emplace_back(data + at, data + at + take);
        at += take;
    }
    return frames;
}

/// The inverse of SplitFrames, for writing seeds.
inline Bytes
JoinFrames(const std::vector<Bytes>& frames)
{
    Bytes out;
    for (const Bytes& f : frames)
    {
        out.push_back(static_cast<uint8_t>(f.size() >> 8));
        out.push_back(static_cast<uint8_t>(f.size() & 0xff));
        out.insert(out.end(), f.begin(), f.end());
    }
    return out;
}

/// LPWAN_FUZZ_VERBOSE set: targets say how far an input got (to check that seeds reach deep).
inline bool
Verbose()
{
    static const bool verbose = std::getenv("LPWAN_FUZZ_VERBOSE") != nullptr;
    return verbose;
}

/// Seeds that need the cores to make them (protected messages, handshakes): targets write them
/// from LLVMFuzzerInitialize into the directory LPWAN_FUZZ_WRITE_SEEDS names, when it is set.
/// That is how test/fuzz/corpus/<target>/gen-* were made (docs/fuzzing.md).
inline void
WriteSeed(const std::string& name, const Bytes& bytes)
{
    const char* dir = std::getenv("LPWAN_FUZZ_WRITE_SEEDS");
    if (dir == nullptr || *dir == '\0')
    {
        return;
    }
    std::ofstream out(std::string(dir) + "/gen-" + name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

} // namespace lpwan_fuzz

#endif // LPWAN_TEST_FUZZ_FUZZ_CHECK_H
