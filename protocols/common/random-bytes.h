/*
 * Bytes drawn from the driver's RandomSource: the only randomness the cores that call mbedTLS
 * primitives themselves (EDHOC, TLS 1.3) use — ephemeral keys, connection identifiers, Hello
 * randoms, signature randomness — so that a run is reproducible and a test can inject the
 * published traces' values (RFC 9529, RFC 8448).
 */
#ifndef LPWAN_COMMON_RANDOM_BYTES_H
#define LPWAN_COMMON_RANDOM_BYTES_H

#include "sans-io.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lpwan
{

/// n bytes from random.Uint32(), each word taken big-endian (the first word gives bytes 0..3).
std::vector<uint8_t> RandomBytes(RandomSource& random, size_t n);

/// An mbedTLS f_rng (int (*)(void*, unsigned char*, size_t)) over a RandomSource passed as
/// p_rng.
int MbedtlsRandom(void* randomSource, unsigned char* out, size_t length);

} // namespace lpwan

#endif // LPWAN_COMMON_RANDOM_BYTES_H
