/*
 * Bytes drawn from the driver's RandomSource: the only randomness the TLS 1.3 core uses
 * (Hello randoms, ephemeral keys, ticket age_add, signature randomness), so that a run is
 * reproducible and a test can inject RFC 8448's randoms and ephemeral private keys.
 */
#ifndef LPWAN_TLS13_RANDOM_H
#define LPWAN_TLS13_RANDOM_H

#include "../common/sans-io.h"
#include "tls13-types.h"

namespace lpwan
{
namespace tls13
{

/// n bytes from random.Uint32(), each word taken big-endian (the first word gives bytes 0..3).
Bytes RandomBytes(RandomSource& random, size_t n);

/// An mbedTLS f_rng over a RandomSource passed as p_rng.
int MbedtlsRandom(void* randomSource, unsigned char* out, size_t length);

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_RANDOM_H
